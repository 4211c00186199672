# bash completion for netius: generated from the command tree by netius-docgen (`make docs`); do not edit.
# Load it with `source <(netius completion bash)`, or install it as
# /usr/share/bash-completion/completions/netius.

# _netius_children PATH: the subcommands (and aliases) of PATH.
_netius_children() {
    case "$1" in
        '') echo 'serve http dns smtp rsa dkim auth config completion' ;;
        'serve') echo 'hello file smtp relay wsgi proxy' ;;
        'http') echo 'get post put patch delete head request' ;;
        'dns') echo 'query' ;;
        'smtp') echo 'send' ;;
        'rsa') echo 'read read_private read_public convert private_to_public' ;;
        'dkim') echo 'generate sign verify' ;;
        'auth') echo 'generate verify' ;;
        'config') echo 'show' ;;
    esac
}

# _netius_child PATH WORD: the subcommand that WORD names below PATH, if any.
_netius_child() {
    case "$1:$2" in
        ':serve') echo 'serve' ;;
        ':http') echo 'http' ;;
        ':dns') echo 'dns' ;;
        ':smtp') echo 'smtp' ;;
        ':rsa') echo 'rsa' ;;
        ':dkim') echo 'dkim' ;;
        ':auth') echo 'auth' ;;
        ':config') echo 'config' ;;
        ':completion') echo 'completion' ;;
        'serve:hello') echo 'hello' ;;
        'serve:file') echo 'file' ;;
        'serve:smtp') echo 'smtp' ;;
        'serve:relay') echo 'relay' ;;
        'serve:wsgi') echo 'wsgi' ;;
        'serve:proxy') echo 'proxy' ;;
        'http:get') echo 'get' ;;
        'http:post') echo 'post' ;;
        'http:put') echo 'put' ;;
        'http:patch') echo 'patch' ;;
        'http:delete') echo 'delete' ;;
        'http:head') echo 'head' ;;
        'http:request') echo 'request' ;;
        'dns:query') echo 'query' ;;
        'smtp:send') echo 'send' ;;
        'rsa:read'|'rsa:read_private') echo 'read' ;;
        'rsa:read_public') echo 'read_public' ;;
        'rsa:convert'|'rsa:private_to_public') echo 'convert' ;;
        'dkim:generate') echo 'generate' ;;
        'dkim:sign') echo 'sign' ;;
        'dkim:verify') echo 'verify' ;;
        'auth:generate') echo 'generate' ;;
        'auth:verify') echo 'verify' ;;
        'config:show') echo 'show' ;;
    esac
}

# _netius_options PATH: the option names of PATH.
_netius_options() {
    case "$1" in
        '') echo '-h --help --version --log-level --config' ;;
        'serve') echo '-h --help' ;;
        'serve hello') echo '-h --help --message --host --port --ipv6 --unix --backlog --ssl --key-file --cer-file --workers --access-log --allowed --proxy-protocol --user --no-sandbox --io-uring --no-io-uring --shutdown-timeout --keep-alive --no-keep-alive --encoding --max-head-bytes --max-headers --max-target-bytes --max-body-bytes --max-pipelined --header-timeout --idle-timeout --body-timeout --write-timeout --http2 --no-http2 --safe --http2-header-table-size --http2-max-concurrent-streams --http2-initial-window-size --http2-max-frame-size --http2-max-header-list-size' ;;
        'serve file') echo '-h --help --base-path --index-files --list-dirs --no-list-dirs --cors --cache --precompressed --hidden --follow-symlinks --host --port --ipv6 --unix --backlog --ssl --key-file --cer-file --workers --access-log --allowed --proxy-protocol --user --no-sandbox --io-uring --no-io-uring --shutdown-timeout --keep-alive --no-keep-alive --encoding --max-head-bytes --max-headers --max-target-bytes --max-body-bytes --max-pipelined --header-timeout --idle-timeout --body-timeout --write-timeout --http2 --no-http2 --safe --http2-header-table-size --http2-max-concurrent-streams --http2-initial-window-size --http2-max-frame-size --http2-max-header-list-size' ;;
        'serve smtp') echo '-h --help --host --port --ipv6 --unix --backlog --ssl --key-file --cer-file --workers --access-log --allowed --proxy-protocol --user --no-sandbox --io-uring --no-io-uring --shutdown-timeout --smtp-host --auth-file --require-auth --allow-plain-auth --max-size --max-recipients --max-line --max-errors --command-timeout --data-timeout --maildir --single --domain' ;;
        'serve relay') echo '-h --help --host --port --ipv6 --unix --backlog --ssl --key-file --cer-file --workers --access-log --allowed --proxy-protocol --user --no-sandbox --io-uring --no-io-uring --shutdown-timeout --smtp-host --auth-file --require-auth --allow-plain-auth --max-size --max-recipients --max-line --max-errors --command-timeout --data-timeout --maildir --single --domain --queue-dir --relay-networks --dkim --postmaster --list-queue --max-queue-time --retry-min --retry-max --smarthost --smarthost-auth-file --mx-port --nameserver --tls-verify --tls-ca-file --connection-cache-time' ;;
        'serve wsgi') echo '-h --help --chdir --python-path --threads --mount --trusted-proxy --confine-writes --timeout --max-requests --max-requests-jitter --reload --reload-extra-file --host --port --ipv6 --unix --backlog --ssl --key-file --cer-file --workers --access-log --allowed --proxy-protocol --user --no-sandbox --io-uring --no-io-uring --shutdown-timeout --keep-alive --no-keep-alive --encoding --max-head-bytes --max-headers --max-target-bytes --max-body-bytes --max-pipelined --header-timeout --idle-timeout --body-timeout --write-timeout --http2 --no-http2 --safe --http2-header-table-size --http2-max-concurrent-streams --http2-initial-window-size --http2-max-frame-size --http2-max-header-list-size' ;;
        'serve proxy') echo '-h --help --to --route --alias --redirect --auth --sts --strategy --trusted-proxy --proxy-json --connect-timeout --upstream-timeout --upstream-max-conns --upstream-keepalive --upstream-queue --max-fails --fail-timeout --health-path --health-interval --upstream-cacert --host --port --ipv6 --unix --backlog --ssl --key-file --cer-file --workers --access-log --allowed --proxy-protocol --user --no-sandbox --io-uring --no-io-uring --shutdown-timeout --keep-alive --no-keep-alive --encoding --max-head-bytes --max-headers --max-target-bytes --max-body-bytes --max-pipelined --header-timeout --idle-timeout --body-timeout --write-timeout --http2 --no-http2 --safe --http2-header-table-size --http2-max-concurrent-streams --http2-initial-window-size --http2-max-frame-size --http2-max-header-list-size' ;;
        'http') echo '-h --help' ;;
        'http get') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'http post') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'http put') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'http patch') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'http delete') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'http head') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'http request') echo '-h --help -o --output -O --remote-name -i --include -v --verbose -s --silent --progress --no-progress --no-decode -H --header -A --user-agent -X --request -I --head --no-follow --max-redirs -d --data --data-binary --data-raw --json -F --form --form-string --timeout --connect-timeout -m --max-time --retry --retry-delay -f --fail --http2 --http1.1 --http2-prior-knowledge -4 --ipv4 -6 --ipv6 --max-connections --nameserver --cacert -k --insecure' ;;
        'dns') echo '-h --help' ;;
        'dns query') echo '-h --help -x --reverse --server --json --short --timeout --retries' ;;
        'smtp') echo '-h --help' ;;
        'smtp send') echo '-h --help -f --from -t --to -s --server --helo --nameserver --mx-port --timeout --starttls --tls --cacert -k --insecure -u --auth-user --auth-password-file --dkim --subject --body -H --header -v --verbose' ;;
        'rsa') echo '-h --help' ;;
        'rsa read') echo '-h --help --public --json --passphrase-file' ;;
        'rsa read_public') echo '-h --help --json --passphrase-file' ;;
        'rsa convert') echo '-h --help --force --passphrase-file' ;;
        'dkim') echo '-h --help' ;;
        'dkim generate') echo '-h --help --selector --suffix --type --bits --key-out --force' ;;
        'dkim sign') echo '-h --help --identity --headers --canonicalization --body-length --in-place --passphrase-file' ;;
        'dkim verify') echo '-h --help --key --nameserver --timeout' ;;
        'auth') echo '-h --help' ;;
        'auth generate') echo '-h --help' ;;
        'auth verify') echo '-h --help' ;;
        'config') echo '-h --help' ;;
        'config show') echo '-h --help' ;;
        'completion') echo '-h --help' ;;
    esac
}

# _netius_value PATH OPTION: what OPTION takes (text, file, choice A B...); nothing
# for a flag.
_netius_value() {
    case "$1:$2" in
        ':--log-level') echo 'text' ;;
        ':--config') echo 'file' ;;
        'serve hello:--message') echo 'text' ;;
        'serve hello:--host') echo 'text' ;;
        'serve hello:--port') echo 'text' ;;
        'serve hello:--unix') echo 'file' ;;
        'serve hello:--backlog') echo 'text' ;;
        'serve hello:--key-file') echo 'file' ;;
        'serve hello:--cer-file') echo 'file' ;;
        'serve hello:--workers') echo 'text' ;;
        'serve hello:--access-log') echo 'file' ;;
        'serve hello:--allowed') echo 'text' ;;
        'serve hello:--user') echo 'text' ;;
        'serve hello:--shutdown-timeout') echo 'text' ;;
        'serve hello:--encoding') echo 'choice plain chunked gzip deflate' ;;
        'serve hello:--max-head-bytes') echo 'text' ;;
        'serve hello:--max-headers') echo 'text' ;;
        'serve hello:--max-target-bytes') echo 'text' ;;
        'serve hello:--max-body-bytes') echo 'text' ;;
        'serve hello:--max-pipelined') echo 'text' ;;
        'serve hello:--header-timeout') echo 'text' ;;
        'serve hello:--idle-timeout') echo 'text' ;;
        'serve hello:--body-timeout') echo 'text' ;;
        'serve hello:--write-timeout') echo 'text' ;;
        'serve hello:--http2-header-table-size') echo 'text' ;;
        'serve hello:--http2-max-concurrent-streams') echo 'text' ;;
        'serve hello:--http2-initial-window-size') echo 'text' ;;
        'serve hello:--http2-max-frame-size') echo 'text' ;;
        'serve hello:--http2-max-header-list-size') echo 'text' ;;
        'serve file:--base-path') echo 'file' ;;
        'serve file:--index-files') echo 'file' ;;
        'serve file:--cache') echo 'file' ;;
        'serve file:--host') echo 'text' ;;
        'serve file:--port') echo 'text' ;;
        'serve file:--unix') echo 'file' ;;
        'serve file:--backlog') echo 'text' ;;
        'serve file:--key-file') echo 'file' ;;
        'serve file:--cer-file') echo 'file' ;;
        'serve file:--workers') echo 'text' ;;
        'serve file:--access-log') echo 'file' ;;
        'serve file:--allowed') echo 'text' ;;
        'serve file:--user') echo 'text' ;;
        'serve file:--shutdown-timeout') echo 'text' ;;
        'serve file:--encoding') echo 'choice plain chunked gzip deflate' ;;
        'serve file:--max-head-bytes') echo 'text' ;;
        'serve file:--max-headers') echo 'text' ;;
        'serve file:--max-target-bytes') echo 'text' ;;
        'serve file:--max-body-bytes') echo 'text' ;;
        'serve file:--max-pipelined') echo 'text' ;;
        'serve file:--header-timeout') echo 'text' ;;
        'serve file:--idle-timeout') echo 'text' ;;
        'serve file:--body-timeout') echo 'text' ;;
        'serve file:--write-timeout') echo 'text' ;;
        'serve file:--http2-header-table-size') echo 'text' ;;
        'serve file:--http2-max-concurrent-streams') echo 'text' ;;
        'serve file:--http2-initial-window-size') echo 'text' ;;
        'serve file:--http2-max-frame-size') echo 'text' ;;
        'serve file:--http2-max-header-list-size') echo 'text' ;;
        'serve smtp:--host') echo 'text' ;;
        'serve smtp:--port') echo 'text' ;;
        'serve smtp:--unix') echo 'file' ;;
        'serve smtp:--backlog') echo 'text' ;;
        'serve smtp:--key-file') echo 'file' ;;
        'serve smtp:--cer-file') echo 'file' ;;
        'serve smtp:--workers') echo 'text' ;;
        'serve smtp:--access-log') echo 'file' ;;
        'serve smtp:--allowed') echo 'text' ;;
        'serve smtp:--user') echo 'text' ;;
        'serve smtp:--shutdown-timeout') echo 'text' ;;
        'serve smtp:--smtp-host') echo 'text' ;;
        'serve smtp:--auth-file') echo 'file' ;;
        'serve smtp:--max-size') echo 'text' ;;
        'serve smtp:--max-recipients') echo 'text' ;;
        'serve smtp:--max-line') echo 'text' ;;
        'serve smtp:--max-errors') echo 'text' ;;
        'serve smtp:--command-timeout') echo 'text' ;;
        'serve smtp:--data-timeout') echo 'text' ;;
        'serve smtp:--maildir') echo 'file' ;;
        'serve smtp:--domain') echo 'text' ;;
        'serve relay:--host') echo 'text' ;;
        'serve relay:--port') echo 'text' ;;
        'serve relay:--unix') echo 'file' ;;
        'serve relay:--backlog') echo 'text' ;;
        'serve relay:--key-file') echo 'file' ;;
        'serve relay:--cer-file') echo 'file' ;;
        'serve relay:--workers') echo 'text' ;;
        'serve relay:--access-log') echo 'file' ;;
        'serve relay:--allowed') echo 'text' ;;
        'serve relay:--user') echo 'text' ;;
        'serve relay:--shutdown-timeout') echo 'text' ;;
        'serve relay:--smtp-host') echo 'text' ;;
        'serve relay:--auth-file') echo 'file' ;;
        'serve relay:--max-size') echo 'text' ;;
        'serve relay:--max-recipients') echo 'text' ;;
        'serve relay:--max-line') echo 'text' ;;
        'serve relay:--max-errors') echo 'text' ;;
        'serve relay:--command-timeout') echo 'text' ;;
        'serve relay:--data-timeout') echo 'text' ;;
        'serve relay:--maildir') echo 'file' ;;
        'serve relay:--domain') echo 'text' ;;
        'serve relay:--queue-dir') echo 'file' ;;
        'serve relay:--relay-networks') echo 'text' ;;
        'serve relay:--dkim') echo 'file' ;;
        'serve relay:--postmaster') echo 'text' ;;
        'serve relay:--max-queue-time') echo 'text' ;;
        'serve relay:--retry-min') echo 'text' ;;
        'serve relay:--retry-max') echo 'text' ;;
        'serve relay:--smarthost') echo 'text' ;;
        'serve relay:--smarthost-auth-file') echo 'file' ;;
        'serve relay:--mx-port') echo 'text' ;;
        'serve relay:--nameserver') echo 'text' ;;
        'serve relay:--tls-ca-file') echo 'file' ;;
        'serve relay:--connection-cache-time') echo 'text' ;;
        'serve wsgi:--chdir') echo 'file' ;;
        'serve wsgi:--python-path') echo 'file' ;;
        'serve wsgi:--threads') echo 'text' ;;
        'serve wsgi:--mount') echo 'file' ;;
        'serve wsgi:--trusted-proxy') echo 'text' ;;
        'serve wsgi:--confine-writes') echo 'file' ;;
        'serve wsgi:--timeout') echo 'text' ;;
        'serve wsgi:--max-requests') echo 'text' ;;
        'serve wsgi:--max-requests-jitter') echo 'text' ;;
        'serve wsgi:--reload-extra-file') echo 'file' ;;
        'serve wsgi:--host') echo 'text' ;;
        'serve wsgi:--port') echo 'text' ;;
        'serve wsgi:--unix') echo 'file' ;;
        'serve wsgi:--backlog') echo 'text' ;;
        'serve wsgi:--key-file') echo 'file' ;;
        'serve wsgi:--cer-file') echo 'file' ;;
        'serve wsgi:--workers') echo 'text' ;;
        'serve wsgi:--access-log') echo 'file' ;;
        'serve wsgi:--allowed') echo 'text' ;;
        'serve wsgi:--user') echo 'text' ;;
        'serve wsgi:--shutdown-timeout') echo 'text' ;;
        'serve wsgi:--encoding') echo 'choice plain chunked gzip deflate' ;;
        'serve wsgi:--max-head-bytes') echo 'text' ;;
        'serve wsgi:--max-headers') echo 'text' ;;
        'serve wsgi:--max-target-bytes') echo 'text' ;;
        'serve wsgi:--max-body-bytes') echo 'text' ;;
        'serve wsgi:--max-pipelined') echo 'text' ;;
        'serve wsgi:--header-timeout') echo 'text' ;;
        'serve wsgi:--idle-timeout') echo 'text' ;;
        'serve wsgi:--body-timeout') echo 'text' ;;
        'serve wsgi:--write-timeout') echo 'text' ;;
        'serve wsgi:--http2-header-table-size') echo 'text' ;;
        'serve wsgi:--http2-max-concurrent-streams') echo 'text' ;;
        'serve wsgi:--http2-initial-window-size') echo 'text' ;;
        'serve wsgi:--http2-max-frame-size') echo 'text' ;;
        'serve wsgi:--http2-max-header-list-size') echo 'text' ;;
        'serve proxy:--to') echo 'text' ;;
        'serve proxy:--route') echo 'text' ;;
        'serve proxy:--alias') echo 'text' ;;
        'serve proxy:--redirect') echo 'text' ;;
        'serve proxy:--auth') echo 'file' ;;
        'serve proxy:--sts') echo 'text' ;;
        'serve proxy:--strategy') echo 'choice robin smart' ;;
        'serve proxy:--trusted-proxy') echo 'text' ;;
        'serve proxy:--proxy-json') echo 'file' ;;
        'serve proxy:--connect-timeout') echo 'text' ;;
        'serve proxy:--upstream-timeout') echo 'text' ;;
        'serve proxy:--upstream-max-conns') echo 'text' ;;
        'serve proxy:--upstream-keepalive') echo 'text' ;;
        'serve proxy:--upstream-queue') echo 'text' ;;
        'serve proxy:--max-fails') echo 'text' ;;
        'serve proxy:--fail-timeout') echo 'text' ;;
        'serve proxy:--health-path') echo 'file' ;;
        'serve proxy:--health-interval') echo 'text' ;;
        'serve proxy:--upstream-cacert') echo 'file' ;;
        'serve proxy:--host') echo 'text' ;;
        'serve proxy:--port') echo 'text' ;;
        'serve proxy:--unix') echo 'file' ;;
        'serve proxy:--backlog') echo 'text' ;;
        'serve proxy:--key-file') echo 'file' ;;
        'serve proxy:--cer-file') echo 'file' ;;
        'serve proxy:--workers') echo 'text' ;;
        'serve proxy:--access-log') echo 'file' ;;
        'serve proxy:--allowed') echo 'text' ;;
        'serve proxy:--user') echo 'text' ;;
        'serve proxy:--shutdown-timeout') echo 'text' ;;
        'serve proxy:--encoding') echo 'choice plain chunked gzip deflate' ;;
        'serve proxy:--max-head-bytes') echo 'text' ;;
        'serve proxy:--max-headers') echo 'text' ;;
        'serve proxy:--max-target-bytes') echo 'text' ;;
        'serve proxy:--max-body-bytes') echo 'text' ;;
        'serve proxy:--max-pipelined') echo 'text' ;;
        'serve proxy:--header-timeout') echo 'text' ;;
        'serve proxy:--idle-timeout') echo 'text' ;;
        'serve proxy:--body-timeout') echo 'text' ;;
        'serve proxy:--write-timeout') echo 'text' ;;
        'serve proxy:--http2-header-table-size') echo 'text' ;;
        'serve proxy:--http2-max-concurrent-streams') echo 'text' ;;
        'serve proxy:--http2-initial-window-size') echo 'text' ;;
        'serve proxy:--http2-max-frame-size') echo 'text' ;;
        'serve proxy:--http2-max-header-list-size') echo 'text' ;;
        'http get:-o'|'http get:--output') echo 'file' ;;
        'http get:-H'|'http get:--header') echo 'text' ;;
        'http get:-A'|'http get:--user-agent') echo 'text' ;;
        'http get:-X'|'http get:--request') echo 'text' ;;
        'http get:--max-redirs') echo 'text' ;;
        'http get:-d'|'http get:--data') echo 'text' ;;
        'http get:--data-binary') echo 'text' ;;
        'http get:--data-raw') echo 'text' ;;
        'http get:--json') echo 'text' ;;
        'http get:-F'|'http get:--form') echo 'text' ;;
        'http get:--form-string') echo 'text' ;;
        'http get:--timeout') echo 'text' ;;
        'http get:--connect-timeout') echo 'text' ;;
        'http get:-m'|'http get:--max-time') echo 'text' ;;
        'http get:--retry') echo 'text' ;;
        'http get:--retry-delay') echo 'text' ;;
        'http get:--max-connections') echo 'text' ;;
        'http get:--nameserver') echo 'text' ;;
        'http get:--cacert') echo 'file' ;;
        'http post:-o'|'http post:--output') echo 'file' ;;
        'http post:-H'|'http post:--header') echo 'text' ;;
        'http post:-A'|'http post:--user-agent') echo 'text' ;;
        'http post:-X'|'http post:--request') echo 'text' ;;
        'http post:--max-redirs') echo 'text' ;;
        'http post:-d'|'http post:--data') echo 'text' ;;
        'http post:--data-binary') echo 'text' ;;
        'http post:--data-raw') echo 'text' ;;
        'http post:--json') echo 'text' ;;
        'http post:-F'|'http post:--form') echo 'text' ;;
        'http post:--form-string') echo 'text' ;;
        'http post:--timeout') echo 'text' ;;
        'http post:--connect-timeout') echo 'text' ;;
        'http post:-m'|'http post:--max-time') echo 'text' ;;
        'http post:--retry') echo 'text' ;;
        'http post:--retry-delay') echo 'text' ;;
        'http post:--max-connections') echo 'text' ;;
        'http post:--nameserver') echo 'text' ;;
        'http post:--cacert') echo 'file' ;;
        'http put:-o'|'http put:--output') echo 'file' ;;
        'http put:-H'|'http put:--header') echo 'text' ;;
        'http put:-A'|'http put:--user-agent') echo 'text' ;;
        'http put:-X'|'http put:--request') echo 'text' ;;
        'http put:--max-redirs') echo 'text' ;;
        'http put:-d'|'http put:--data') echo 'text' ;;
        'http put:--data-binary') echo 'text' ;;
        'http put:--data-raw') echo 'text' ;;
        'http put:--json') echo 'text' ;;
        'http put:-F'|'http put:--form') echo 'text' ;;
        'http put:--form-string') echo 'text' ;;
        'http put:--timeout') echo 'text' ;;
        'http put:--connect-timeout') echo 'text' ;;
        'http put:-m'|'http put:--max-time') echo 'text' ;;
        'http put:--retry') echo 'text' ;;
        'http put:--retry-delay') echo 'text' ;;
        'http put:--max-connections') echo 'text' ;;
        'http put:--nameserver') echo 'text' ;;
        'http put:--cacert') echo 'file' ;;
        'http patch:-o'|'http patch:--output') echo 'file' ;;
        'http patch:-H'|'http patch:--header') echo 'text' ;;
        'http patch:-A'|'http patch:--user-agent') echo 'text' ;;
        'http patch:-X'|'http patch:--request') echo 'text' ;;
        'http patch:--max-redirs') echo 'text' ;;
        'http patch:-d'|'http patch:--data') echo 'text' ;;
        'http patch:--data-binary') echo 'text' ;;
        'http patch:--data-raw') echo 'text' ;;
        'http patch:--json') echo 'text' ;;
        'http patch:-F'|'http patch:--form') echo 'text' ;;
        'http patch:--form-string') echo 'text' ;;
        'http patch:--timeout') echo 'text' ;;
        'http patch:--connect-timeout') echo 'text' ;;
        'http patch:-m'|'http patch:--max-time') echo 'text' ;;
        'http patch:--retry') echo 'text' ;;
        'http patch:--retry-delay') echo 'text' ;;
        'http patch:--max-connections') echo 'text' ;;
        'http patch:--nameserver') echo 'text' ;;
        'http patch:--cacert') echo 'file' ;;
        'http delete:-o'|'http delete:--output') echo 'file' ;;
        'http delete:-H'|'http delete:--header') echo 'text' ;;
        'http delete:-A'|'http delete:--user-agent') echo 'text' ;;
        'http delete:-X'|'http delete:--request') echo 'text' ;;
        'http delete:--max-redirs') echo 'text' ;;
        'http delete:-d'|'http delete:--data') echo 'text' ;;
        'http delete:--data-binary') echo 'text' ;;
        'http delete:--data-raw') echo 'text' ;;
        'http delete:--json') echo 'text' ;;
        'http delete:-F'|'http delete:--form') echo 'text' ;;
        'http delete:--form-string') echo 'text' ;;
        'http delete:--timeout') echo 'text' ;;
        'http delete:--connect-timeout') echo 'text' ;;
        'http delete:-m'|'http delete:--max-time') echo 'text' ;;
        'http delete:--retry') echo 'text' ;;
        'http delete:--retry-delay') echo 'text' ;;
        'http delete:--max-connections') echo 'text' ;;
        'http delete:--nameserver') echo 'text' ;;
        'http delete:--cacert') echo 'file' ;;
        'http head:-o'|'http head:--output') echo 'file' ;;
        'http head:-H'|'http head:--header') echo 'text' ;;
        'http head:-A'|'http head:--user-agent') echo 'text' ;;
        'http head:-X'|'http head:--request') echo 'text' ;;
        'http head:--max-redirs') echo 'text' ;;
        'http head:-d'|'http head:--data') echo 'text' ;;
        'http head:--data-binary') echo 'text' ;;
        'http head:--data-raw') echo 'text' ;;
        'http head:--json') echo 'text' ;;
        'http head:-F'|'http head:--form') echo 'text' ;;
        'http head:--form-string') echo 'text' ;;
        'http head:--timeout') echo 'text' ;;
        'http head:--connect-timeout') echo 'text' ;;
        'http head:-m'|'http head:--max-time') echo 'text' ;;
        'http head:--retry') echo 'text' ;;
        'http head:--retry-delay') echo 'text' ;;
        'http head:--max-connections') echo 'text' ;;
        'http head:--nameserver') echo 'text' ;;
        'http head:--cacert') echo 'file' ;;
        'http request:-o'|'http request:--output') echo 'file' ;;
        'http request:-H'|'http request:--header') echo 'text' ;;
        'http request:-A'|'http request:--user-agent') echo 'text' ;;
        'http request:-X'|'http request:--request') echo 'text' ;;
        'http request:--max-redirs') echo 'text' ;;
        'http request:-d'|'http request:--data') echo 'text' ;;
        'http request:--data-binary') echo 'text' ;;
        'http request:--data-raw') echo 'text' ;;
        'http request:--json') echo 'text' ;;
        'http request:-F'|'http request:--form') echo 'text' ;;
        'http request:--form-string') echo 'text' ;;
        'http request:--timeout') echo 'text' ;;
        'http request:--connect-timeout') echo 'text' ;;
        'http request:-m'|'http request:--max-time') echo 'text' ;;
        'http request:--retry') echo 'text' ;;
        'http request:--retry-delay') echo 'text' ;;
        'http request:--max-connections') echo 'text' ;;
        'http request:--nameserver') echo 'text' ;;
        'http request:--cacert') echo 'file' ;;
        'dns query:-x'|'dns query:--reverse') echo 'text' ;;
        'dns query:--server') echo 'text' ;;
        'dns query:--timeout') echo 'text' ;;
        'dns query:--retries') echo 'text' ;;
        'smtp send:-f'|'smtp send:--from') echo 'text' ;;
        'smtp send:-t'|'smtp send:--to') echo 'text' ;;
        'smtp send:-s'|'smtp send:--server') echo 'text' ;;
        'smtp send:--helo') echo 'text' ;;
        'smtp send:--nameserver') echo 'text' ;;
        'smtp send:--mx-port') echo 'text' ;;
        'smtp send:--timeout') echo 'text' ;;
        'smtp send:--cacert') echo 'file' ;;
        'smtp send:-u'|'smtp send:--auth-user') echo 'text' ;;
        'smtp send:--auth-password-file') echo 'file' ;;
        'smtp send:--dkim') echo 'text' ;;
        'smtp send:--subject') echo 'text' ;;
        'smtp send:--body') echo 'text' ;;
        'smtp send:-H'|'smtp send:--header') echo 'text' ;;
        'rsa read:--passphrase-file') echo 'file' ;;
        'rsa read_public:--passphrase-file') echo 'file' ;;
        'rsa convert:--passphrase-file') echo 'file' ;;
        'dkim generate:--selector') echo 'text' ;;
        'dkim generate:--suffix') echo 'text' ;;
        'dkim generate:--type') echo 'choice rsa ed25519' ;;
        'dkim generate:--bits') echo 'text' ;;
        'dkim generate:--key-out') echo 'file' ;;
        'dkim sign:--identity') echo 'text' ;;
        'dkim sign:--headers') echo 'text' ;;
        'dkim sign:--canonicalization') echo 'text' ;;
        'dkim sign:--passphrase-file') echo 'file' ;;
        'dkim verify:--key') echo 'file' ;;
        'dkim verify:--nameserver') echo 'text' ;;
        'dkim verify:--timeout') echo 'text' ;;
    esac
}

# _netius_positional PATH INDEX: what positional argument INDEX (from 0) takes.
_netius_positional() {
    case "$1:$2" in
        'serve wsgi:0') echo 'text' ;;
        'http get:'*) echo 'text' ;;
        'http post:'*) echo 'text' ;;
        'http put:'*) echo 'text' ;;
        'http patch:'*) echo 'text' ;;
        'http delete:'*) echo 'text' ;;
        'http head:'*) echo 'text' ;;
        'http request:'*) echo 'text' ;;
        'dns query:0') echo 'text' ;;
        'dns query:'*) echo 'text' ;;
        'smtp send:'*) echo 'file' ;;
        'rsa read:0') echo 'file' ;;
        'rsa read_public:0') echo 'file' ;;
        'rsa convert:0') echo 'file' ;;
        'rsa convert:1') echo 'file' ;;
        'dkim generate:0') echo 'text' ;;
        'dkim sign:0') echo 'file' ;;
        'dkim sign:1') echo 'file' ;;
        'dkim sign:2') echo 'text' ;;
        'dkim sign:3') echo 'text' ;;
        'dkim verify:0') echo 'file' ;;
        'auth generate:0') echo 'text' ;;
        'auth generate:1') echo 'text' ;;
        'auth generate:2') echo 'text' ;;
        'auth verify:0') echo 'text' ;;
        'auth verify:1') echo 'text' ;;
        'completion:0') echo 'choice bash zsh fish' ;;
    esac
}

# _netius_complete_value KIND CUR: fills COMPREPLY for a value of KIND.
_netius_complete_value() {
    case "$1" in
        file)
            compopt -o filenames 2>/dev/null
            mapfile -t COMPREPLY < <(compgen -f -- "$2") ;;
        choice\ *)
            mapfile -t COMPREPLY < <(compgen -W "${1#choice }" -- "$2") ;;
        *) COMPREPLY=() ;;
    esac
}

_netius() {
    local cur="${COMP_WORDS[COMP_CWORD]}" path="" opt="" pending="" child i w
    local -i npos=0
    local prog="${COMP_WORDS[0]##*/}"
    # Busybox links: `netius-dkim ...` completes like `netius dkim ...`.
    if [[ $prog == netius-?* && -n $(_netius_child "" "${prog#netius-}") ]]; then
        path="${prog#netius-}"
    fi
    for ((i = 1; i < COMP_CWORD; i++)); do
        w="${COMP_WORDS[i]}"
        if [[ -n $pending ]]; then
            [[ $w == "=" ]] || pending=""  # `--opt=value` arrives as --opt, =, value
            continue
        fi
        case "$w" in
            --*=*) continue ;;
            -*)
                if [[ -n $(_netius_value "$path" "$w") ]]; then
                    opt="$w"
                    pending=1
                fi
                continue ;;
        esac
        child=$(_netius_child "$path" "$w")
        if [[ -n $child ]]; then
            path="${path:+$path }$child"
            npos=0
        else
            npos+=1
        fi
    done
    COMPREPLY=()
    if [[ -n $pending ]]; then
        [[ $cur == "=" ]] && cur=""
        _netius_complete_value "$(_netius_value "$path" "$opt")" "$cur"
    elif [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_netius_options "$path")" -- "$cur")
    elif [[ -n $(_netius_children "$path") ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$(_netius_children "$path")" -- "$cur")
    else
        _netius_complete_value "$(_netius_positional "$path" "$npos")" "$cur"
    fi
    return 0
}

complete -F _netius netius netius-serve netius-http netius-dns netius-smtp netius-rsa netius-dkim netius-auth netius-config
