#!/usr/bin/env bash
# Upload the built site to an S3 bucket (static website hosting), e.g.
#   deploy/s3-sync.sh s3://my-bucket/founders/
# Fingerprinted files first, cached for a year: a page never links a file not yet there.
# Then everything else, revalidated on each visit; --delete removes pages that are gone.
# Old fingerprinted files are kept, for pages still cached in browsers.
set -euo pipefail
target="${1:?usage: deploy/s3-sync.sh s3://bucket/path/}"
out="${OUT:-output}"
h='[0-9a-f]'
fingerprinted="*.$h$h$h$h$h$h$h$h$h$h.*"

aws s3 sync "$out/" "$target" \
  --exclude '*' --include "$fingerprinted" \
  --cache-control 'public, max-age=31536000, immutable'
aws s3 sync "$out/" "$target" --delete \
  --exclude "$fingerprinted" --exclude '.chronicle-build' \
  --cache-control 'no-cache'
