#!/bin/sh
# Makes sure each AMQP service (auth, gateway, worker, notifier) has its own broker user, named after it, with its own
# password and permissions on the virtual host "/" limited to the exchanges and queues it uses, plus the user
# "keda" (monitoring tag, no rights on any exchange or queue) for the worker-keda component. Safe to run any
# number of times: PUT creates or updates, so a rotated password takes effect here. Talks to the management API
# as the administrator; shell built-ins, cat, sleep and curl only (the curl image is minimal).
set -eu

# The credentials go to curl in a file, not on its command line (where any process could read them).
netrc="${TMPDIR:-/tmp}/rabbitmq-admin.netrc"
host="${RABBITMQ_API#*://}"
host="${host%%[:/]*}"
cat > "$netrc" <<NETRC
machine $host login $RABBITMQ_ADMIN_USER password $RABBITMQ_ADMIN_PASSWORD
NETRC

api() { # METHOD PATH [JSON BODY]
  if [ $# -ge 3 ]; then
    curl --silent --show-error --fail --netrc-file "$netrc" -X "$1" -H "content-type: application/json" \
      --data "$3" "$RABBITMQ_API/api$2"
  else
    curl --silent --show-error --fail --netrc-file "$netrc" -X "$1" "$RABBITMQ_API/api$2"
  fi
}

# RabbitMQ may still be starting: wait for its management API instead of failing the Job attempt.
tries=0
until api GET /overview >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "RabbitMQ's management API at $RABBITMQ_API did not answer" >&2
    exit 1
  fi
  sleep 5
done

# The passwords go into JSON unescaped: letters and digits only (generate-secrets.sh writes hex).
user() { # NAME PASSWORD TAGS CONFIGURE WRITE READ
  case "$2" in
    "" | *[!A-Za-z0-9]*)
      echo "the password of $1 must be letters and digits only" >&2
      exit 1
      ;;
  esac
  api PUT "/users/$1" "{\"password\":\"$2\",\"tags\":\"$3\"}"
  api PUT "/permissions/%2F/$1" "{\"configure\":\"$4\",\"write\":\"$5\",\"read\":\"$6\"}"
}

# The topology (AmqpTopology): the exchanges, the five queues and their dead-letter queues. "[.]" is a literal
# dot that needs no escaping in shell or JSON.
names='worker[.]conversions|notifier[.]events|gateway[.]status|notifier[.]accounts|gateway[.]accounts'
topology="^(conversions|conversions[.]dlx|($names)([.]dlq)?)\$"
queues="($names)([.]dlq)?"

# configure: every service declares the whole topology at start-up (whichever starts first, no message is
# published before its queue exists), so each may declare every name in it, and nothing else.
# write: publishing to an exchange, and binding a queue (the declared bindings cover every queue). Nobody may
# publish through the default exchange (amq.default) straight into a queue.
# read: consuming a queue, and binding from an exchange (both exchanges). Each service consumes its own queue only.
# auth publishes its outbox (account emails and deletions) to the exchange and consumes nothing.
user auth "$AUTH_RABBITMQ_PASSWORD" "" "$topology" \
  "^(conversions|$queues)\$" "^(conversions|conversions[.]dlx)\$"
user gateway "$GATEWAY_RABBITMQ_PASSWORD" "" "$topology" \
  "^(conversions|conversions[.]dlx|$queues)\$" "^(conversions|conversions[.]dlx|gateway[.]status|gateway[.]accounts)\$"
# The worker also declares, binds and consumes its instance's own cancel queue (worker.cancel.<uuid>: a broadcast
# of conversion.cancel, one auto-delete queue per instance).
cancel='worker[.]cancel[.][0-9a-f-]{36}'
user worker "$WORKER_RABBITMQ_PASSWORD" "" "^(conversions|conversions[.]dlx|$queues|$cancel)\$" \
  "^(conversions|conversions[.]dlx|$queues|$cancel)\$" "^(conversions|conversions[.]dlx|worker[.]conversions|$cancel)\$"
# The notifier publishes nothing but its poison messages (to the dead-letter exchange).
user notifier "$NOTIFIER_RABBITMQ_PASSWORD" "" "$topology" \
  "^(conversions[.]dlx|$queues)\$" "^(conversions|conversions[.]dlx|notifier[.]events|notifier[.]accounts)\$"
# Reading queue depths through the management API needs the monitoring tag and access to the virtual host only.
user keda "$KEDA_RABBITMQ_PASSWORD" monitoring '^$' '^$' '^$'
echo "broker users auth, gateway, worker, notifier and keda are ready"
