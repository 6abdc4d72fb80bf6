# The stack's container images: <repository>:fossa-worker (the cluster's workers) and
# <repository>:fossa-gateway (run on the gateway instance), pushed by ../images/build-push.sh.
resource "aws_ecr_repository" "images" {
  name                 = "fossa-${local.stack}"
  image_tag_mutability = "MUTABLE" # fossa-worker is moved to each new build; builds also get a -<git sha> tag
  # down.sh must leave nothing behind, images included.
  force_delete = true

  image_scanning_configuration {
    scan_on_push = true
  }
}

resource "aws_ecr_lifecycle_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 20 newest images; older builds only cost storage"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 20 }
      action       = { type = "expire" }
    }]
  })
}
