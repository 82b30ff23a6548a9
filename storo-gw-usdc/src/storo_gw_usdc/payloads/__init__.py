"""Raw rail payloads, encrypted at rest in S3 with a time to live."""
