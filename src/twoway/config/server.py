"""Serve the WSGI app with gunicorn, the same way in a demo and in production."""

from __future__ import annotations

from gunicorn.app.base import BaseApplication

from twoway.config.wsgi import application


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


# The request's path only (%(U)s), never its query string or referrer: a journal
# search travels in the query string, and its words must never reach a log line.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'


def serve(*, host: str, port: int, workers: int) -> None:
    print(f"Twoway is serving at http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "timeout": 60,
        }
    ).run()
