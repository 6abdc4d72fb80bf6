#!/usr/bin/env bash
# `aws` for gateway_image_test.sh, which runs the gateway instance's fossa-gateway-run: the two calls
# that script makes, answered as AWS would, each recorded in $STAND_IN_LOG. Any other call fails, so
# that a change to the script's calls is noticed here.
set -euo pipefail
echo "aws $*" >>"$STAND_IN_LOG"
case "$*" in
  "secretsmanager get-secret-value --region $STAND_IN_REGION --secret-id $STAND_IN_SECRET_ID --query SecretString --output text")
    echo "$STAND_IN_PASSWORD" ;;
  "ecr get-login-password --region $STAND_IN_REGION")
    echo "stand-in-ecr-password" ;;
  *)
    echo "aws stand-in: not a call fossa-gateway-run makes: aws $*" >&2
    exit 1 ;;
esac
