# Varnish in front of filmblog's app servers (Varnish 7 with varnish-modules'
# xkey; Debian: `apt-get install varnish varnish-modules`, or
# scripts/install-varnish.sh). docs/deploy.md says how to run it.
#
# - Anonymous GETs and HEADs are cached by URL, host and encoding (Brotli,
#   gzip or none), as long as the app says (s-maxage): public pages name
#   their tags in Surrogate-Key, which become xkeys.
# - Requests with a session or a pending message, the admin, account pages,
#   and every POST go straight to the app.
# - PURGE with an `xkey-purge: tag1 tag2` header purges by tag; only the
#   addresses in the `purgers` ACL (the app servers, backends.vcl) may.
# - Grace: for 10 s past its lifetime a page is served while a fresh copy is
#   fetched (stale-while-revalidate); while the app is down or answers with
#   an error, the last copy is served for up to a day (stale-if-error).
# - X-Cache says hit, miss, stale or pass.
#
# backends.vcl (next to this file, or on vcl_path) names the app servers
# (`backend app`) and the `purgers` ACL; deploy/varnish/backends.vcl is an
# example for one app server on this machine.
vcl 4.1;

import std;
import xkey;

include "backends.vcl";

# How long past its lifetime a page may be served while the app is healthy
# (a fresh copy is fetched in the background) ...
sub filmblog_revalidate { set req.grace = 10s; }
# ... and at most, while the app is down or failing (stale-if-error).
sub filmblog_stale_if_error { set req.grace = 24h; }

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is for the app servers"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Say which tags to purge in an xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # The app decides alone what comes from which address.
    unset req.http.X-Filmblog-Encoding;
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    if (req.http.Authorization || req.url ~ "^/(admin|account)/") {
        return (pass);
    }
    # A signed-in visitor, or one a message waits for: their own page.
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # One copy per encoding the app gives: Brotli, gzip or none.
    if (req.http.Accept-Encoding ~ "(^|,)\s*br\s*(;|,|$)") {
        set req.http.X-Filmblog-Encoding = "br";
    } elsif (req.http.Accept-Encoding ~ "gzip") {
        set req.http.X-Filmblog-Encoding = "gzip";
    } else {
        set req.http.X-Filmblog-Encoding = "identity";
    }
    if (req.restarts > 0 && req.http.X-Filmblog-Failed) {
        call filmblog_stale_if_error;
    } elsif (std.healthy(req.backend_hint)) {
        call filmblog_revalidate;
    } else {
        call filmblog_stale_if_error;
    }
    # Other cookies (a reader's id for their rating) do not change a public page.
    return (hash);
}

sub vcl_hash {
    hash_data(req.url);
    hash_data(req.http.host);
    hash_data(req.http.X-Filmblog-Encoding);
    return (lookup);
}

sub vcl_backend_fetch {
    # Varnish asks for gzip; the app is asked for what this client takes.
    if (bereq.http.X-Filmblog-Encoding == "identity") {
        unset bereq.http.Accept-Encoding;
    } elsif (bereq.http.X-Filmblog-Encoding) {
        set bereq.http.Accept-Encoding = bereq.http.X-Filmblog-Encoding;
    }
}

sub vcl_backend_response {
    if (beresp.status >= 500) {
        if (bereq.is_bgfetch) {
            # Keep serving the copy we have.
            return (abandon);
        }
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    # Only what the app calls public is kept: public pages (with their tags)
    # and static files.
    if (!beresp.http.Surrogate-Key && beresp.http.Cache-Control !~ "public") {
        set beresp.uncacheable = true;
        set beresp.ttl = 0s;
        return (deliver);
    }
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        # Cookies never make a public page differ (see vcl_recv).
        set beresp.http.Vary = regsuball(beresp.http.Vary, "(?i)(^|,)\s*Cookie\s*(,|$)", "\1");
        set beresp.http.Vary = regsub(beresp.http.Vary, "^,\s*|,\s*$", "");
        if (beresp.http.Vary == "") {
            unset beresp.http.Vary;
        }
    }
    # The encoding is in the hash; Varnish neither compresses nor unpacks.
    set beresp.do_gzip = false;
    set beresp.do_gunzip = false;
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_backend_error {
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # The app failed or is down: look again, allowing any copy from the last day.
    if (resp.status >= 500 && req.restarts == 0 && req.http.X-Filmblog-Encoding) {
        set req.http.X-Filmblog-Failed = "1";
        return (restart);
    }
    if (!req.http.X-Filmblog-Encoding) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0 && obj.ttl < 0s) {
        set resp.http.X-Cache = "stale";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    unset resp.http.xkey;
    unset resp.http.X-Varnish;
    unset resp.http.Via;
}

sub vcl_synth {
    if (resp.status >= 500 && req.restarts == 0 && req.http.X-Filmblog-Encoding) {
        set req.http.X-Filmblog-Failed = "1";
        return (restart);
    }
}
