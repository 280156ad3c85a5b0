"""Running the web server in-process, shared by `dontpay serve` and `dontpay demo`."""

from waitress import serve as waitress_serve

from .wsgi import application


def run_web_server(host: str, port: int, threads: int) -> None:
    """Serve the app with waitress (a production WSGI server) until interrupted."""
    waitress_serve(application, host=host, port=port, threads=threads, ident="dontpay")
