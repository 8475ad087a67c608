#!/bin/sh
# assess's entrypoint (the container's, and systemd's ExecStart): docs/operations.md.
#   entrypoint.sh web [GUNICORN OPTIONS]   the deploy step (init-db, prepare-dashboards), then
#                                          gunicorn with the shipped configuration
#   entrypoint.sh worker [OPTIONS]         a render worker (needs no database: no deploy step)
#   entrypoint.sh deploy                   the deploy step alone (an upgrade, cron)
#   entrypoint.sh COMMAND ...              anything else, e.g. `flask --app assess backup ...`
# flask and gunicorn are those on PATH (the image's, or a virtualenv's bin/ put first).
# GUNICORN_CONF: the gunicorn configuration file (default: beside this script, else
# /etc/assess/gunicorn.conf.py).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
conf=${GUNICORN_CONF:-$here/gunicorn.conf.py}
[ -f "$conf" ] || conf=/etc/assess/gunicorn.conf.py

deploy() {
    # commands count nothing for Prometheus: they leave no files in the web app's folder
    env -u PROMETHEUS_MULTIPROC_DIR flask --app assess init-db
    env -u PROMETHEUS_MULTIPROC_DIR flask --app assess prepare-dashboards
}

role=${1:-web}
[ $# -gt 0 ] && shift
case "$role" in
    web)
        deploy
        exec gunicorn --config "$conf" "$@" 'assess:create_app()'
        ;;
    worker)
        exec flask --app assess render-worker "$@"
        ;;
    deploy)
        deploy
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
