from storages.backends.s3boto3 import S3Boto3Storage


class SpacesStorage(S3Boto3Storage):
    """DigitalOcean Spaces, with our defaults."""

    file_overwrite = False
    querystring_auth = True


class PublicMediaStorage(SpacesStorage):
    location = "media/public"
    default_acl = "public-read"
    querystring_auth = False


class PrivateDocumentStorage(SpacesStorage):
    location = "media/private"
    default_acl = "private"
