#!/bin/bash
# The official rabbitmq image's settings, written as a conf.d file before the server starts.
set -Eeuo pipefail

if [[ "${1:-}" != rabbitmq-server ]]; then exec "$@"; fi

mkdir -p /etc/rabbitmq/conf.d /var/lib/rabbitmq /var/log/rabbitmq
{
  echo "listeners.tcp.default = 5672"
  # The user is reached over the container network, not loopback only.
  echo "loopback_users = none"
  if [[ -n "${RABBITMQ_DEFAULT_USER:-}" ]]; then echo "default_user = $RABBITMQ_DEFAULT_USER"; fi
  if [[ -n "${RABBITMQ_DEFAULT_PASS:-}" ]]; then echo "default_pass = $RABBITMQ_DEFAULT_PASS"; fi
  if [[ -n "${RABBITMQ_DEFAULT_VHOST:-}" ]]; then echo "default_vhost = $RABBITMQ_DEFAULT_VHOST"; fi
} >/etc/rabbitmq/conf.d/10-defaults.conf
chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
# Logs to the console, as a container should.
export RABBITMQ_LOGS=-
exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups "$@"
