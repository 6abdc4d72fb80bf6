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

# Each image keeps its own newest builds: counted together, a run of worker builds would expire
# the gateway's only image (its tag moves with each build, so the newest of each is always kept).
resource "aws_ecr_lifecycle_policy" "images" {
  repository = aws_ecr_repository.images.name
  policy = jsonencode({
    rules = concat([for i, image in ["fossa-worker", "fossa-gateway"] : {
      rulePriority = i + 1
      description  = "Keep the 10 newest ${image} builds; older ones only cost storage"
      selection    = { tagStatus = "tagged", tagPrefixList = [image], countType = "imageCountMoreThan", countNumber = 10 }
      action       = { type = "expire" }
      }], [{
      rulePriority = 3
      description  = "Untagged images (a push interrupted, a tag pushed twice) after a day"
      selection    = { tagStatus = "untagged", countType = "sinceImagePushed", countUnit = "days", countNumber = 1 }
      action       = { type = "expire" }
    }])
  })
}
