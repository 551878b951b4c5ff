"""The private storage on S3 (or any S3-compatible service), through django-storages.

Kept apart from `core.storage` so that a site on the local disk never imports boto3.
"""

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """A bucket (or a prefix of one) for files holding personal data.

    Objects are written with the `private` ACL, so an anonymous request for one is
    refused. Like `core.storage.PrivateFileSystemStorage` it has no URL, signed or not: a
    private file leaves only through a view that has checked who is asking
    (`core.downloads.private_file_response`, which uses only `exists` and `open`).
    """

    def __init__(self, **settings):
        super().__init__(**settings)
        # Whatever the options say: objects are private, and nothing is published under a
        # custom (CDN) domain, which would mean unsigned URLs.
        self.default_acl = "private"
        self.querystring_auth = True
        self.custom_domain = None
        self.cloudfront_signer = None

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; serve them through a view.")
