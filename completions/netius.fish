# fish completion for netius: generated from the command tree by netius-docgen (`make docs`); do not edit.
# Install it as ~/.config/fish/completions/netius.fish, or
# `netius completion fish | source`.

function __netius_child --description 'The subcommand that $argv[2] names below the path $argv[1]'
    switch "$argv[1]:$argv[2]"
        case ':serve'
            echo 'serve'
            return 0
        case ':http'
            echo 'http'
            return 0
        case ':rsa'
            echo 'rsa'
            return 0
        case ':dkim'
            echo 'dkim'
            return 0
        case ':auth'
            echo 'auth'
            return 0
        case ':completion'
            echo 'completion'
            return 0
        case 'serve:hello'
            echo 'hello'
            return 0
        case 'serve:file'
            echo 'file'
            return 0
        case 'serve:smtp'
            echo 'smtp'
            return 0
        case 'http:get'
            echo 'get'
            return 0
        case 'rsa:read' 'rsa:read_private'
            echo 'read'
            return 0
        case 'rsa:read_public'
            echo 'read_public'
            return 0
        case 'rsa:convert' 'rsa:private_to_public'
            echo 'convert'
            return 0
        case 'dkim:generate'
            echo 'generate'
            return 0
        case 'dkim:sign'
            echo 'sign'
            return 0
        case 'dkim:verify'
            echo 'verify'
            return 0
        case 'auth:generate'
            echo 'generate'
            return 0
        case 'auth:verify'
            echo 'verify'
            return 0
    end
    return 1
end

function __netius_takes_value --description 'Whether option $argv[2] of the path $argv[1] takes a value'
    switch "$argv[1]:$argv[2]"
        case ':--log-level' 'serve hello:--message' 'serve hello:--host' 'serve hello:--port' 'serve hello:--unix' 'serve hello:--backlog' 'serve hello:--key-file' 'serve hello:--cer-file' 'serve hello:--workers' 'serve hello:--access-log' 'serve hello:--allowed' 'serve hello:--shutdown-timeout' 'serve hello:--encoding' 'serve hello:--max-head-bytes' 'serve hello:--max-headers' 'serve hello:--max-target-bytes' 'serve hello:--max-body-bytes' 'serve hello:--max-pipelined' 'serve hello:--header-timeout' 'serve hello:--idle-timeout' 'serve hello:--body-timeout' 'serve hello:--write-timeout' 'serve file:--base-path' 'serve file:--index-files' 'serve file:--cache' 'serve file:--host' 'serve file:--port' 'serve file:--unix' 'serve file:--backlog' 'serve file:--key-file' 'serve file:--cer-file' 'serve file:--workers' 'serve file:--access-log' 'serve file:--allowed' 'serve file:--shutdown-timeout' 'serve file:--encoding' 'serve file:--max-head-bytes' 'serve file:--max-headers' 'serve file:--max-target-bytes' 'serve file:--max-body-bytes' 'serve file:--max-pipelined' 'serve file:--header-timeout' 'serve file:--idle-timeout' 'serve file:--body-timeout' 'serve file:--write-timeout' 'serve smtp:--host' 'serve smtp:--port' 'serve smtp:--unix' 'serve smtp:--backlog' 'serve smtp:--key-file' 'serve smtp:--cer-file' 'serve smtp:--workers' 'serve smtp:--access-log' 'serve smtp:--allowed' 'serve smtp:--shutdown-timeout' 'serve smtp:--smtp-host' 'serve smtp:--auth-file' 'serve smtp:--max-size' 'serve smtp:--max-recipients' 'serve smtp:--max-line' 'serve smtp:--max-errors' 'serve smtp:--command-timeout' 'serve smtp:--data-timeout' 'serve smtp:--maildir' 'serve smtp:--domain' 'http get:-o' 'http get:--output' 'http get:-H' 'http get:--header' 'http get:-A' 'http get:--user-agent' 'http get:-X' 'http get:--request' 'http get:-d' 'http get:--data' 'http get:--max-redirs' 'http get:--timeout' 'http get:--connect-timeout' 'http get:-m' 'http get:--max-time' 'http get:--retry' 'http get:--retry-delay' 'http get:--max-connections' 'http get:--nameserver' 'http get:--cacert' 'rsa read:--passphrase-file' 'rsa read_public:--passphrase-file' 'rsa convert:--passphrase-file' 'dkim generate:--selector' 'dkim generate:--suffix' 'dkim generate:--type' 'dkim generate:--bits' 'dkim generate:--key-out' 'dkim sign:--identity' 'dkim sign:--headers' 'dkim sign:--canonicalization' 'dkim sign:--passphrase-file' 'dkim verify:--key' 'dkim verify:--nameserver' 'dkim verify:--timeout'
            return 0
    end
    return 1
end

function __netius_path --description 'The netius command path typed so far, e.g. "dkim sign"'
    set -l tokens (commandline -opc)
    set -l path ''
    set -l prog (string replace -r '.*/' '' -- $tokens[1])
    set -e tokens[1]
    # Busybox links: `netius-dkim ...` completes like `netius dkim ...`.
    set -l group (string replace -r '^netius-' '' -- $prog)
    if test "$group" != "$prog"; and __netius_child '' "$group" >/dev/null
        set path $group
    end
    set -l pending 0
    for w in $tokens
        if test $pending = 1
            set pending 0
        else if string match -q -- '--*=*' $w
            continue
        else if string match -q -- '-*' $w
            if __netius_takes_value "$path" $w
                set pending 1
            end
        else
            set -l child (__netius_child "$path" $w)
            if test -n "$child"
                set path (string trim -- "$path $child")
            end
        end
    end
    echo $path
end

function __netius_at --description 'Whether the netius command path typed so far is $argv[1]'
    set -l path (__netius_path)
    test "$path" = "$argv[1]"
end

complete -c netius -f -n '__netius_at ""' -a 'serve' -d 'Servers on the netius engine'
complete -c netius -f -n '__netius_at ""' -a 'http' -d 'HTTP client on the netius engine'
complete -c netius -f -n '__netius_at ""' -a 'rsa' -d 'RSA key inspection and conversion'
complete -c netius -f -n '__netius_at ""' -a 'dkim' -d 'DKIM keys and signatures (RSA and Ed25519)'
complete -c netius -f -n '__netius_at ""' -a 'auth' -d 'Password hashes (argon2id and netius formats)'
complete -c netius -f -n '__netius_at ""' -a 'completion' -d 'Print a shell completion script (bash, zsh or fish)'
complete -c netius -n '__netius_at ""' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at ""' -l 'version' -d 'Print the version (with OpenSSL and libsodium) and exit'
complete -c netius -n '__netius_at ""' -l 'log-level' -x -d 'Log level: DEBUG, INFO, WARNING, ERROR, CRITICAL (also TRACE, SILENT)'
complete -c netius -f -n '__netius_at ""'
complete -c netius -f -n '__netius_at "serve"' -a 'hello' -d 'Answer every request with 200 and a message'
complete -c netius -f -n '__netius_at "serve"' -a 'file' -d 'Serve the files of a directory (GET and HEAD)'
complete -c netius -f -n '__netius_at "serve"' -a 'smtp' -d 'ESMTP server storing mail durably in Maildirs'
complete -c netius -n '__netius_at "serve"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "serve"'
complete -c netius -n '__netius_at "serve hello"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "serve hello"' -l 'message' -x -d 'Response body (UTF-8)'
complete -c netius -n '__netius_at "serve hello"' -l 'host' -x -d 'Address to listen on; \'unix\' means --unix'
complete -c netius -n '__netius_at "serve hello"' -l 'port' -x -d 'TCP port to listen on (0 picks a free port)'
complete -c netius -n '__netius_at "serve hello"' -l 'ipv6' -d 'Listen on IPv6 (default host ::1)'
complete -c netius -n '__netius_at "serve hello"' -l 'unix' -rF -d 'Listen on this unix socket path instead of TCP'
complete -c netius -n '__netius_at "serve hello"' -l 'backlog' -x -d 'listen() backlog'
complete -c netius -n '__netius_at "serve hello"' -l 'ssl' -d 'Serve TLS; without --key-file/--cer-file an ephemeral self-signed certificate'
complete -c netius -n '__netius_at "serve hello"' -l 'key-file' -rF -d 'TLS private key (PEM)'
complete -c netius -n '__netius_at "serve hello"' -l 'cer-file' -rF -d 'TLS certificate chain (PEM)'
complete -c netius -n '__netius_at "serve hello"' -l 'workers' -x -d 'Worker processes sharing the port (SO_REUSEPORT)'
complete -c netius -n '__netius_at "serve hello"' -l 'access-log' -rF -d 'Append a line per request to FILE (\'-\' = stdout; HTTP: Combined Log Format, SMTP: one per message); SIGHUP reopens it'
complete -c netius -n '__netius_at "serve hello"' -l 'allowed' -x -d 'Only accept clients from these addresses/CIDR ranges (\';\'-separated)'
complete -c netius -n '__netius_at "serve hello"' -l 'proxy-protocol' -d 'Connections start with a HAProxy PROXY v1/v2 header; log and filter the client address it carries'
complete -c netius -n '__netius_at "serve hello"' -l 'shutdown-timeout' -x -d 'Seconds in-flight responses get to finish after SIGTERM/SIGINT'
complete -c netius -n '__netius_at "serve hello"' -l 'keep-alive' -l 'no-keep-alive' -d 'Keep connections open between requests (default on)'
complete -c netius -n '__netius_at "serve hello"' -l 'encoding' -xa 'plain chunked gzip deflate' -d 'Response encoding: plain, chunked, or gzip/deflate when the client accepts it'
complete -c netius -n '__netius_at "serve hello"' -l 'max-head-bytes' -x -d 'Largest request head (431 past it)'
complete -c netius -n '__netius_at "serve hello"' -l 'max-headers' -x -d 'Most header fields (431 past it)'
complete -c netius -n '__netius_at "serve hello"' -l 'max-target-bytes' -x -d 'Longest request target (414 past it)'
complete -c netius -n '__netius_at "serve hello"' -l 'max-body-bytes' -x -d 'Largest request body (413 past it)'
complete -c netius -n '__netius_at "serve hello"' -l 'max-pipelined' -x -d 'Pipelined requests answered per batch; then reading waits until they are written'
complete -c netius -n '__netius_at "serve hello"' -l 'header-timeout' -x -d 'Time to receive a whole request head (seconds, default 10)'
complete -c netius -n '__netius_at "serve hello"' -l 'idle-timeout' -x -d 'Idle time allowed between requests (seconds, default 15)'
complete -c netius -n '__netius_at "serve hello"' -l 'body-timeout' -x -d 'Time without progress allowed while reading a body (seconds, default 30)'
complete -c netius -n '__netius_at "serve hello"' -l 'write-timeout' -x -d 'Time without progress allowed while writing a response (seconds, default 30)'
complete -c netius -f -n '__netius_at "serve hello"'
complete -c netius -n '__netius_at "serve file"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "serve file"' -l 'base-path' -rF -d 'Directory to serve; nothing outside it is reachable'
complete -c netius -n '__netius_at "serve file"' -l 'index-files' -rF -d 'Files tried in order for a directory (\';\'-separated; \'\' for none)'
complete -c netius -n '__netius_at "serve file"' -l 'list-dirs' -l 'no-list-dirs' -d 'List a directory without an index file (HTML; ?format=json for JSON); default on'
complete -c netius -n '__netius_at "serve file"' -l 'cors' -d 'Send Access-Control-Allow-Origin: *'
complete -c netius -n '__netius_at "serve file"' -l 'cache' -rF -d 'Seconds files may be cached: Cache-Control public, max-age and Expires (0 = no caching headers)'
complete -c netius -n '__netius_at "serve file"' -l 'precompressed' -d 'Serve x.br or x.gz beside x to clients that accept br or gzip (Vary: Accept-Encoding)'
complete -c netius -n '__netius_at "serve file"' -l 'hidden' -d 'Serve and list names starting with \'.\' (default: 404 and not listed)'
complete -c netius -n '__netius_at "serve file"' -l 'follow-symlinks' -d 'Follow symbolic links whose target stays inside the base directory (default: no links are followed)'
complete -c netius -n '__netius_at "serve file"' -l 'host' -x -d 'Address to listen on; \'unix\' means --unix'
complete -c netius -n '__netius_at "serve file"' -l 'port' -x -d 'TCP port to listen on (0 picks a free port)'
complete -c netius -n '__netius_at "serve file"' -l 'ipv6' -d 'Listen on IPv6 (default host ::1)'
complete -c netius -n '__netius_at "serve file"' -l 'unix' -rF -d 'Listen on this unix socket path instead of TCP'
complete -c netius -n '__netius_at "serve file"' -l 'backlog' -x -d 'listen() backlog'
complete -c netius -n '__netius_at "serve file"' -l 'ssl' -d 'Serve TLS; without --key-file/--cer-file an ephemeral self-signed certificate'
complete -c netius -n '__netius_at "serve file"' -l 'key-file' -rF -d 'TLS private key (PEM)'
complete -c netius -n '__netius_at "serve file"' -l 'cer-file' -rF -d 'TLS certificate chain (PEM)'
complete -c netius -n '__netius_at "serve file"' -l 'workers' -x -d 'Worker processes sharing the port (SO_REUSEPORT)'
complete -c netius -n '__netius_at "serve file"' -l 'access-log' -rF -d 'Append a line per request to FILE (\'-\' = stdout; HTTP: Combined Log Format, SMTP: one per message); SIGHUP reopens it'
complete -c netius -n '__netius_at "serve file"' -l 'allowed' -x -d 'Only accept clients from these addresses/CIDR ranges (\';\'-separated)'
complete -c netius -n '__netius_at "serve file"' -l 'proxy-protocol' -d 'Connections start with a HAProxy PROXY v1/v2 header; log and filter the client address it carries'
complete -c netius -n '__netius_at "serve file"' -l 'shutdown-timeout' -x -d 'Seconds in-flight responses get to finish after SIGTERM/SIGINT'
complete -c netius -n '__netius_at "serve file"' -l 'keep-alive' -l 'no-keep-alive' -d 'Keep connections open between requests (default on)'
complete -c netius -n '__netius_at "serve file"' -l 'encoding' -xa 'plain chunked gzip deflate' -d 'Response encoding: plain, chunked, or gzip/deflate when the client accepts it'
complete -c netius -n '__netius_at "serve file"' -l 'max-head-bytes' -x -d 'Largest request head (431 past it)'
complete -c netius -n '__netius_at "serve file"' -l 'max-headers' -x -d 'Most header fields (431 past it)'
complete -c netius -n '__netius_at "serve file"' -l 'max-target-bytes' -x -d 'Longest request target (414 past it)'
complete -c netius -n '__netius_at "serve file"' -l 'max-body-bytes' -x -d 'Largest request body (413 past it)'
complete -c netius -n '__netius_at "serve file"' -l 'max-pipelined' -x -d 'Pipelined requests answered per batch; then reading waits until they are written'
complete -c netius -n '__netius_at "serve file"' -l 'header-timeout' -x -d 'Time to receive a whole request head (seconds, default 10)'
complete -c netius -n '__netius_at "serve file"' -l 'idle-timeout' -x -d 'Idle time allowed between requests (seconds, default 15)'
complete -c netius -n '__netius_at "serve file"' -l 'body-timeout' -x -d 'Time without progress allowed while reading a body (seconds, default 30)'
complete -c netius -n '__netius_at "serve file"' -l 'write-timeout' -x -d 'Time without progress allowed while writing a response (seconds, default 30)'
complete -c netius -f -n '__netius_at "serve file"'
complete -c netius -n '__netius_at "serve smtp"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "serve smtp"' -l 'host' -x -d 'Address to listen on; \'unix\' means --unix'
complete -c netius -n '__netius_at "serve smtp"' -l 'port' -x -d 'TCP port to listen on (0 picks a free port)'
complete -c netius -n '__netius_at "serve smtp"' -l 'ipv6' -d 'Listen on IPv6 (default host ::1)'
complete -c netius -n '__netius_at "serve smtp"' -l 'unix' -rF -d 'Listen on this unix socket path instead of TCP'
complete -c netius -n '__netius_at "serve smtp"' -l 'backlog' -x -d 'listen() backlog'
complete -c netius -n '__netius_at "serve smtp"' -l 'ssl' -d 'Serve TLS; without --key-file/--cer-file an ephemeral self-signed certificate'
complete -c netius -n '__netius_at "serve smtp"' -l 'key-file' -rF -d 'TLS private key (PEM)'
complete -c netius -n '__netius_at "serve smtp"' -l 'cer-file' -rF -d 'TLS certificate chain (PEM)'
complete -c netius -n '__netius_at "serve smtp"' -l 'workers' -x -d 'Worker processes sharing the port (SO_REUSEPORT)'
complete -c netius -n '__netius_at "serve smtp"' -l 'access-log' -rF -d 'Append a line per request to FILE (\'-\' = stdout; HTTP: Combined Log Format, SMTP: one per message); SIGHUP reopens it'
complete -c netius -n '__netius_at "serve smtp"' -l 'allowed' -x -d 'Only accept clients from these addresses/CIDR ranges (\';\'-separated)'
complete -c netius -n '__netius_at "serve smtp"' -l 'proxy-protocol' -d 'Connections start with a HAProxy PROXY v1/v2 header; log and filter the client address it carries'
complete -c netius -n '__netius_at "serve smtp"' -l 'shutdown-timeout' -x -d 'Seconds in-flight responses get to finish after SIGTERM/SIGINT'
complete -c netius -n '__netius_at "serve smtp"' -l 'smtp-host' -x -d 'Our name in the greeting, EHLO and Received fields (default: the machine\'s)'
complete -c netius -n '__netius_at "serve smtp"' -l 'auth-file' -rF -d 'Offer AUTH PLAIN/LOGIN for the \'user:hash\' lines of FILE (hashes from \'netius auth generate\': argon2id, digests or plain)'
complete -c netius -n '__netius_at "serve smtp"' -l 'require-auth' -d 'MAIL needs a successful AUTH first (530)'
complete -c netius -n '__netius_at "serve smtp"' -l 'allow-plain-auth' -d 'Offer AUTH without TLS to every client (loopback clients always may)'
complete -c netius -n '__netius_at "serve smtp"' -l 'max-size' -x -d 'Largest message in bytes, advertised as SIZE (552 past it)'
complete -c netius -n '__netius_at "serve smtp"' -l 'max-recipients' -x -d 'Recipients per message (452 past it)'
complete -c netius -n '__netius_at "serve smtp"' -l 'max-line' -x -d 'Longest command line with its CRLF (500 past it)'
complete -c netius -n '__netius_at "serve smtp"' -l 'max-errors' -x -d 'Error replies a session may provoke before it is closed (421)'
complete -c netius -n '__netius_at "serve smtp"' -l 'command-timeout' -x -d 'Time to wait for the next command (RFC 5321 4.5.3.2) (seconds, default 300)'
complete -c netius -n '__netius_at "serve smtp"' -l 'data-timeout' -x -d 'Time without progress while receiving a message (seconds, default 180)'
complete -c netius -n '__netius_at "serve smtp"' -l 'maildir' -rF -d 'Root directory: one Maildir per recipient address under it'
complete -c netius -n '__netius_at "serve smtp"' -l 'single' -d 'Store every message in the one Maildir at --maildir'
complete -c netius -n '__netius_at "serve smtp"' -l 'domain' -x -d 'Accept only recipients in these domains (\';\'-separated; default: any)'
complete -c netius -f -n '__netius_at "serve smtp"'
complete -c netius -f -n '__netius_at "http"' -a 'get' -d 'Fetch URLs (concurrently) to stdout or files'
complete -c netius -n '__netius_at "http"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "http"'
complete -c netius -n '__netius_at "http get"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "http get"' -s 'o' -l 'output' -rF -d 'Write the Nth URL to the Nth FILE, renamed into place once complete (\'-\' for stdout)'
complete -c netius -n '__netius_at "http get"' -s 'O' -l 'remote-name' -d 'Write to a file named like the URL\'s last path segment'
complete -c netius -n '__netius_at "http get"' -s 'i' -l 'include' -d 'Include the status line and headers in the output'
complete -c netius -n '__netius_at "http get"' -l 'json' -d 'Print one JSON object per URL (code, status, headers, data or file, error, message)'
complete -c netius -n '__netius_at "http get"' -s 'v' -l 'verbose' -d 'Show request and response heads on stderr'
complete -c netius -n '__netius_at "http get"' -s 's' -l 'silent' -d 'No progress bar (errors are still reported)'
complete -c netius -n '__netius_at "http get"' -l 'progress' -l 'no-progress' -d 'Force the progress bar on or off (default: on for -o/-O when stderr is a terminal)'
complete -c netius -n '__netius_at "http get"' -l 'no-decode' -d 'Send no Accept-Encoding and keep the content as sent (default: gzip, deflate, br decoded)'
complete -c netius -n '__netius_at "http get"' -s 'H' -l 'header' -x -d 'Extra request field \'Name: value\' (\'Name:\' drops a default field); repeatable'
complete -c netius -n '__netius_at "http get"' -s 'A' -l 'user-agent' -x -d 'User-Agent (default netius)'
complete -c netius -n '__netius_at "http get"' -s 'X' -l 'request' -x -d 'Request method (default GET)'
complete -c netius -n '__netius_at "http get"' -s 'd' -l 'data' -x -d 'Send DATA (or @FILE) with POST'
complete -c netius -n '__netius_at "http get"' -s 'I' -l 'head' -d 'Send HEAD: headers only'
complete -c netius -n '__netius_at "http get"' -l 'no-follow' -d 'Do not follow redirects'
complete -c netius -n '__netius_at "http get"' -l 'max-redirs' -x -d 'Redirects to follow at most'
complete -c netius -n '__netius_at "http get"' -l 'timeout' -x -d 'Give up after SECONDS without receiving anything'
complete -c netius -n '__netius_at "http get"' -l 'connect-timeout' -x -d 'SECONDS to connect (every address) and finish the TLS handshake'
complete -c netius -n '__netius_at "http get"' -s 'm' -l 'max-time' -x -d 'SECONDS for the whole transfer (0: no limit)'
complete -c netius -n '__netius_at "http get"' -l 'retry' -x -d 'Retry N times on connection errors, time-outs, 408, 429 and 5xx'
complete -c netius -n '__netius_at "http get"' -l 'retry-delay' -x -d 'SECONDS between retries (default: 1, doubling; or Retry-After)'
complete -c netius -n '__netius_at "http get"' -s 'f' -l 'fail' -d 'Exit 22 on an HTTP status >= 400 and write no content'
complete -c netius -n '__netius_at "http get"' -s '4' -l 'ipv4' -d 'Resolve and connect over IPv4 only'
complete -c netius -n '__netius_at "http get"' -s '6' -l 'ipv6' -d 'Resolve and connect over IPv6 only'
complete -c netius -n '__netius_at "http get"' -l 'max-connections' -x -d 'Connections per host at once (requests beyond wait to reuse one)'
complete -c netius -n '__netius_at "http get"' -l 'nameserver' -x -d 'DNS server IP[:PORT] (repeatable; \';\'-separated in NAMESERVERS); default: /etc/resolv.conf'
complete -c netius -n '__netius_at "http get"' -l 'cacert' -rF -d 'Trust the CA certificates in FILE (PEM) instead of the system\'s'
complete -c netius -n '__netius_at "http get"' -s 'k' -l 'insecure' -d 'Do not verify the server\'s certificate'
complete -c netius -f -n '__netius_at "http get"'
complete -c netius -f -n '__netius_at "rsa"' -a 'read' -d 'Print an RSA key\'s components in decimal'
complete -c netius -f -n '__netius_at "rsa"' -a 'read_private' -d 'Print an RSA key\'s components in decimal'
complete -c netius -f -n '__netius_at "rsa"' -a 'read_public' -d 'Same as \'read --public\' (netius spelling)'
complete -c netius -f -n '__netius_at "rsa"' -a 'convert' -d 'Write the public key (SPKI PEM) of a private key'
complete -c netius -f -n '__netius_at "rsa"' -a 'private_to_public' -d 'Write the public key (SPKI PEM) of a private key'
complete -c netius -n '__netius_at "rsa"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "rsa"'
complete -c netius -n '__netius_at "rsa read"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "rsa read"' -l 'public' -d 'Print only bits, modulus and public_exponent'
complete -c netius -n '__netius_at "rsa read"' -l 'json' -d 'Print one JSON object (integers as JSON numbers)'
complete -c netius -n '__netius_at "rsa read"' -l 'passphrase-file' -rF -d 'Read the passphrase of an encrypted key from the first line of FILE (default: prompt without echo when standard input is a terminal)'
complete -c netius -n '__netius_at "rsa read_public"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "rsa read_public"' -l 'json' -d 'Print one JSON object (integers as JSON numbers)'
complete -c netius -n '__netius_at "rsa read_public"' -l 'passphrase-file' -rF -d 'Read the passphrase of an encrypted key from the first line of FILE (default: prompt without echo when standard input is a terminal)'
complete -c netius -n '__netius_at "rsa convert"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "rsa convert"' -l 'force' -d 'Replace PUBLIC if it already exists'
complete -c netius -n '__netius_at "rsa convert"' -l 'passphrase-file' -rF -d 'Read the passphrase of an encrypted key from the first line of FILE (default: prompt without echo when standard input is a terminal)'
complete -c netius -f -n '__netius_at "dkim"' -a 'generate' -d 'Create a DKIM key pair: print the DNS TXT record and the private key'
complete -c netius -f -n '__netius_at "dkim"' -a 'sign' -d 'Sign a message: prepend a DKIM-Signature header'
complete -c netius -f -n '__netius_at "dkim"' -a 'verify' -d 'Verify every DKIM-Signature of a message (exit 0 if all pass)'
complete -c netius -n '__netius_at "dkim"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "dkim"'
complete -c netius -n '__netius_at "dkim generate"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "dkim generate"' -l 'selector' -x -d 'Selector (s=); default: the UTC time as YYYYmmddHHMMSS'
complete -c netius -n '__netius_at "dkim generate"' -l 'suffix' -x -d 'Append .SUFFIX to the default time-based selector'
complete -c netius -n '__netius_at "dkim generate"' -l 'type' -xa 'rsa ed25519' -d 'Key type: rsa (rsa-sha256) or ed25519 (RFC 8463)'
complete -c netius -n '__netius_at "dkim generate"' -l 'bits' -x -d 'RSA key size in bits (default 2048; RFC 8301 needs >= 1024)'
complete -c netius -n '__netius_at "dkim generate"' -l 'key-out' -rF -d 'Write the private key PEM to FILE (mode 0600, atomically) and print only the record'
complete -c netius -n '__netius_at "dkim generate"' -l 'force' -d 'Let --key-out replace an existing file'
complete -c netius -f -n '__netius_at "dkim generate"'
complete -c netius -n '__netius_at "dkim sign"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "dkim sign"' -l 'identity' -x -d 'Agent or user identifier (i=), [local-part]@DOMAIN or a subdomain of it'
complete -c netius -n '__netius_at "dkim sign"' -l 'headers' -x -d 'Header fields to sign (h=), e.g. From:To:Subject; must include From; default: the RFC 6376 recommended fields present, From signed once more than present'
complete -c netius -n '__netius_at "dkim sign"' -l 'canonicalization' -x -d 'HEADER/BODY algorithms (c=): relaxed or simple; one word means WORD/simple'
complete -c netius -n '__netius_at "dkim sign"' -l 'body-length' -d 'Add l= (the signed body length); text appended later then keeps the signature valid, which also lets others append'
complete -c netius -n '__netius_at "dkim sign"' -l 'in-place' -d 'Rewrite MESSAGE atomically with the signature instead of printing it'
complete -c netius -n '__netius_at "dkim sign"' -l 'passphrase-file' -rF -d 'Read the passphrase of an encrypted key from the first line of FILE (default: prompt without echo when standard input is a terminal)'
complete -c netius -n '__netius_at "dkim verify"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at "dkim verify"' -l 'key' -rF -d 'Use this key for every signature instead of DNS: a PEM/DER public or private key, or a TXT record (\'v=DKIM1; k=...; p=...\' or the line \'dkim generate\' prints)'
complete -c netius -n '__netius_at "dkim verify"' -l 'nameserver' -x -d 'DNS server for the key lookups, IP[:PORT] (repeatable; \';\'-separated in NAMESERVERS); default: /etc/resolv.conf'
complete -c netius -n '__netius_at "dkim verify"' -l 'timeout' -x -d 'Give up on a DNS lookup after SECONDS (default 5)'
complete -c netius -f -n '__netius_at "auth"' -a 'generate' -d 'Hash a password for a netius password file'
complete -c netius -f -n '__netius_at "auth"' -a 'verify' -d 'Check a password against a hash (exit 0 if it matches)'
complete -c netius -n '__netius_at "auth"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "auth"'
complete -c netius -n '__netius_at "auth generate"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "auth generate"'
complete -c netius -n '__netius_at "auth verify"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "auth verify"'
complete -c netius -n '__netius_at "completion"' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -f -n '__netius_at "completion"' -a 'bash zsh fish' -d 'SHELL'
complete -c netius -f -n '__netius_at "completion"'
complete -c netius-serve -w netius
complete -c netius-http -w netius
complete -c netius-rsa -w netius
complete -c netius-dkim -w netius
complete -c netius-auth -w netius
