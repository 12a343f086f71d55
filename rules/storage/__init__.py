"""storage (MW4xx): user uploads on S3-like storage."""
