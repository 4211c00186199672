#include "commands/dns_query_output.hpp"

#include <nlohmann/json.hpp>

namespace netius::cmd {
namespace {

using nlohmann::ordered_json;

struct Fields {
    ordered_json& j;
    void operator()(const net::DnsAddress& a) const { j["address"] = a.address; }
    void operator()(const net::DnsTarget& t) const { j["target"] = net::display_name(t.target); }
    void operator()(const net::DnsMx& mx) const {
        j["preference"] = mx.preference;
        j["exchange"] = net::display_name(mx.exchange);
    }
    void operator()(const net::DnsTxt& txt) const {
        std::string text;
        for (const std::string& s : txt.strings) text += s;
        j["strings"] = txt.strings;
        j["text"] = text;
    }
    void operator()(const net::DnsSoa& s) const {
        j["mname"] = net::display_name(s.mname);
        j["rname"] = net::display_name(s.rname);
        j["serial"] = s.serial;
        j["refresh"] = s.refresh;
        j["retry"] = s.retry;
        j["expire"] = s.expire;
        j["minimum"] = s.minimum;
    }
    void operator()(const net::DnsSrv& s) const {
        j["priority"] = s.priority;
        j["weight"] = s.weight;
        j["port"] = s.port;
        j["target"] = net::display_name(s.target);
    }
    void operator()(const net::DnsCaa& c) const {
        j["flags"] = c.flags;
        j["tag"] = c.tag;
        j["value"] = c.value;
    }
};

}  // namespace

int exit_status(net::DnsQueryStatus status) {
    switch (status) {
        case net::DnsQueryStatus::kOk:
            return 0;
        case net::DnsQueryStatus::kNxDomain:
            return kExitNxDomain;
        case net::DnsQueryStatus::kNoData:
            return kExitNoData;
        case net::DnsQueryStatus::kNoAnswer:
            return kExitNoAnswer;
        case net::DnsQueryStatus::kServerFailure:
            return kExitServerFailure;
        case net::DnsQueryStatus::kFailed:
            break;
    }
    return 1;
}

std::string records_json(std::span<const net::ResourceRecord> records) {
    ordered_json array = ordered_json::array();
    for (const net::ResourceRecord& r : records) {
        ordered_json j;
        j["name"] = net::display_name(r.name);
        j["type"] = net::dns_type_name(r.type);
        j["ttl"] = r.ttl;
        std::visit(Fields{j}, r.data);
        array.push_back(std::move(j));
    }
    return array.dump(-1, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace netius::cmd
