#!/usr/bin/env python3
"""Serves the browser site (build-web/www/) on a local port, as any static host would.

Usage: python3 web/serve.py [--isolated] [--port N] [--bind ADDRESS] [FOLDER]

With --isolated every answer carries the two headers that make the page cross-origin isolated,
Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp: the page then
runs the threaded build (optiviz-mt). Without them it runs the build without threads.
scripts/test-web.sh serves the site both ways.
"""
import argparse
import functools
import http.server
import sys

ISOLATION_HEADERS = (("Cross-Origin-Opener-Policy", "same-origin"), ("Cross-Origin-Embedder-Policy", "require-corp"))


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    isolated = False

    def end_headers(self):
        if self.isolated:
            for name, value in ISOLATION_HEADERS:
                self.send_header(name, value)
        super().end_headers()

    def log_message(self, format, *args):  # quiet: the test prints what matters
        pass


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="build-web/www")
    parser.add_argument("--isolated", action="store_true", help="send COOP and COEP (the page then has threads)")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--bind", default="127.0.0.1")
    args = parser.parse_args()
    handler = functools.partial(type("Handler", (SiteHandler,), {"isolated": args.isolated}), directory=args.folder)
    server = http.server.ThreadingHTTPServer((args.bind, args.port), handler)
    print(f"serving {args.folder} on http://{args.bind}:{server.server_address[1]}/"
          f"{' (cross-origin isolated: the threaded build)' if args.isolated else ''}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
