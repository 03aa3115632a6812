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


def serve(*, host: str, port: int, workers: int) -> None:
    print(f"Twoway is serving at http://{host}:{port}/  (Ctrl+C stops it)", flush=True)
    _Gunicorn(
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "accesslog": "-",
            "timeout": 60,
        }
    ).run()
