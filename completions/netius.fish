# fish completion for netius: generated from the command tree by netius-docgen (`make docs`); do not edit.
# Install it as ~/.config/fish/completions/netius.fish, or
# `netius completion fish | source`.

function __netius_child --description 'The subcommand that $argv[2] names below the path $argv[1]'
    switch "$argv[1]:$argv[2]"
        case ':serve'
            echo 'serve'
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
        case ':--log-level' 'serve hello:--message' 'serve hello:--host' 'serve hello:--port' 'serve hello:--unix' 'serve hello:--backlog' 'serve hello:--key-file' 'serve hello:--cer-file' 'serve hello:--workers' 'serve hello:--access-log' 'serve hello:--allowed' 'serve hello:--shutdown-timeout' 'serve hello:--encoding' 'serve hello:--max-head-bytes' 'serve hello:--max-headers' 'serve hello:--max-target-bytes' 'serve hello:--max-body-bytes' 'serve hello:--max-pipelined' 'serve hello:--header-timeout' 'serve hello:--idle-timeout' 'serve hello:--body-timeout' 'serve hello:--write-timeout' 'rsa read:--passphrase-file' 'rsa read_public:--passphrase-file' 'rsa convert:--passphrase-file' 'dkim generate:--selector' 'dkim generate:--suffix' 'dkim generate:--type' 'dkim generate:--bits' 'dkim generate:--key-out' 'dkim sign:--identity' 'dkim sign:--headers' 'dkim sign:--canonicalization' 'dkim sign:--passphrase-file' 'dkim verify:--key' 'dkim verify:--nameserver' 'dkim verify:--timeout'
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
complete -c netius -f -n '__netius_at ""' -a 'rsa' -d 'RSA key inspection and conversion'
complete -c netius -f -n '__netius_at ""' -a 'dkim' -d 'DKIM keys and signatures (RSA and Ed25519)'
complete -c netius -f -n '__netius_at ""' -a 'auth' -d 'Password hashes (argon2id and netius formats)'
complete -c netius -f -n '__netius_at ""' -a 'completion' -d 'Print a shell completion script (bash, zsh or fish)'
complete -c netius -n '__netius_at ""' -s 'h' -l 'help' -d 'Print this help message and exit'
complete -c netius -n '__netius_at ""' -l 'version' -d 'Print the version (with OpenSSL and libsodium) and exit'
complete -c netius -n '__netius_at ""' -l 'log-level' -x -d 'Log level: DEBUG, INFO, WARNING, ERROR, CRITICAL (also TRACE, SILENT)'
complete -c netius -f -n '__netius_at ""'
complete -c netius -f -n '__netius_at "serve"' -a 'hello' -d 'Answer every request with 200 and a message'
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
complete -c netius -n '__netius_at "serve hello"' -l 'keep-alive' -l 'no-keep-alive' -d 'Keep connections open between requests (default on)'
complete -c netius -n '__netius_at "serve hello"' -l 'access-log' -rF -d 'Append a Combined Log Format line per request to FILE (\'-\' = stdout); SIGHUP reopens it'
complete -c netius -n '__netius_at "serve hello"' -l 'allowed' -x -d 'Only accept clients from these addresses/CIDR ranges (\';\'-separated)'
complete -c netius -n '__netius_at "serve hello"' -l 'proxy-protocol' -d 'Connections start with a HAProxy PROXY v1/v2 header; log and filter the client address it carries'
complete -c netius -n '__netius_at "serve hello"' -l 'shutdown-timeout' -x -d 'Seconds in-flight responses get to finish after SIGTERM/SIGINT'
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
complete -c netius-rsa -w netius
complete -c netius-dkim -w netius
complete -c netius-auth -w netius
