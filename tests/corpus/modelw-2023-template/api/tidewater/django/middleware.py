import logging
import time

logger = logging.getLogger(__name__)


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.monotonic()
        response = self.get_response(request)
        logger.info("%s %s %s %.3f", request.method, request.path, response.status_code, time.monotonic() - start)
        return response
