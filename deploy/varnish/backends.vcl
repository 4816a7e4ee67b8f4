# The app servers Varnish fetches from, and the addresses allowed to PURGE:
# included by filmblog.vcl. This example is one app server on this machine
# (gunicorn on 127.0.0.1:8000); docs/deploy.md shows several behind a
# round-robin director.
vcl 4.1;

backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    # /healthz/ answers 503 only when the app can serve nothing at all.
    .probe = {
        .url = "/healthz/";
        .interval = 1s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 2;
    }
}

acl purgers {
    "127.0.0.1";
    "::1";
}
