"""S3 objects, the archive package and manifest, database tables and repositories."""
