#!/usr/bin/env bash
# End-to-end check of the e-mail alerts: invoke alertes -> SMTP relay (STARTTLS, login) -> Mailman 3 -> SMTP sink.
# Not part of `make test`: Mailman needs about 1 GB of memory and ten seconds to start.
# Makes Mailman's own venv (.venv-mailman, pinned by tests/e2e/requirements-mailman.txt) on first use.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
MAILMAN_VENV=${MAILMAN_VENV:-.venv-mailman}

make .venv/.installed
if [ ! -f "$MAILMAN_VENV/.installed" ] || [ tests/e2e/requirements-mailman.txt -nt "$MAILMAN_VENV/.installed" ]; then
  "$PYTHON" -m venv "$MAILMAN_VENV"
  "$MAILMAN_VENV/bin/pip" install --quiet --disable-pip-version-check -r tests/e2e/requirements-mailman.txt
  touch "$MAILMAN_VENV/.installed"
fi
PYTHONPATH=tests "$MAILMAN_VENV/bin/python" tests/e2e/mailman_e2e.py --mailman "$MAILMAN_VENV/bin/mailman" "$@"
