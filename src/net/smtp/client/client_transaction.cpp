// ClientSession's mail transaction (RFC 5321 §3.3): MAIL, RCPTs, DATA and the content,
// one command at a time or pipelined (RFC 2920), and what each reply means per recipient.
#include <fmt/format.h>

#include <algorithm>

#include "net/smtp/client/client_session.hpp"
#include "net/smtp/client/dot_stuffer.hpp"

namespace netius::net::smtp {
namespace {

bool positive(const ServerReply& r) {
    return r.code / 100 == 2;
}

// The content goes out dot-stuffed a piece at a time: the queued message and at most one
// stuffed piece are in memory, never a stuffed copy of the whole.
constexpr std::size_t kDataPiece = 64 * 1024;

}  // namespace

void ClientSession::begin_transaction() {
    const std::uint64_t size = message_->content ? message_->content->size() : 0;
    if (message_->smtputf8 && !extensions_.smtputf8) {  // RFC 6531 §3.2: must not send
        fail_pending(RecipientFate::kPermanent, 0, {},
                     fmt::format("{} does not support SMTPUTF8, needed for this message's "
                                 "non-ASCII addresses",
                                 remote_));
        return finish(false);
    }
    if (extensions_.size && extensions_.max_size > 0 && size > extensions_.max_size) {
        fail_pending(RecipientFate::kPermanent, 0, {},
                     fmt::format("message of {} bytes exceeds the {} byte limit of {}", size,
                                 extensions_.max_size, remote_));
        return finish(false);
    }
    std::string mail = fmt::format("MAIL FROM:<{}>", message_->sender);
    if (extensions_.size) mail += fmt::format(" SIZE={}", size);  // RFC 1870 §6
    if (message_->eight_bit && extensions_.eight_bit_mime) mail += " BODY=8BITMIME";
    if (message_->smtputf8) mail += " SMTPUTF8";
    pipelining_ = extensions_.pipelining;
    if (!pipelining_) return command(std::move(mail), Step::kMail);
    // RFC 2920 §3.1: MAIL, every RCPT and DATA in one write, the replies read in order.
    std::string batch = mail + "\r\n";
    expected_.push_back(Step::kMail);
    for (const std::string& r : message_->recipients) {
        batch += fmt::format("RCPT TO:<{}>\r\n", r);
        expected_.push_back(Step::kRcpt);
    }
    batch += "DATA\r\n";
    expected_.push_back(Step::kData);
    next_rcpt_ = message_->recipients.size();
    arm(config_.command_timeout);
    trace(TranscriptLine::kClient, batch);
    conn_->send(batch);
}

void ClientSession::on_transaction_reply(Step step, const ServerReply& reply) {
    answered_ = true;
    switch (step) {
        case Step::kMail:
            if (!positive(reply)) {
                mail_failed_ = true;
                fail_pending(reply);  // every recipient
                if (!pipelining_) return finish(false);
                return arm(config_.command_timeout);  // read the RCPT and DATA replies
            }
            if (!pipelining_) return send_next_command();
            return arm(config_.command_timeout);
        case Step::kRcpt: {
            const std::size_t i = rcpt_replies_++;
            if (!mail_failed_ && i < outcomes_.size()) {
                if (positive(reply)) {
                    accepted_[i] = true;
                } else {
                    RecipientOutcome& o = outcomes_[i];
                    o.fate = fate_of_code(reply.code);
                    o.code = reply.code;
                    o.enhanced = std::string(reply.enhanced);
                    o.diagnostic = describe(reply);
                    o.remote = remote_;
                    settled_[i] = true;
                }
            }
            if (!pipelining_) return send_next_command();
            return arm(config_.command_timeout);
        }
        case Step::kData: {
            const bool any = std::find(accepted_.begin(), accepted_.end(), true) != accepted_.end();
            if (reply.code == 354 && any && !mail_failed_) return send_data();
            if (reply.code == 354) {  // RFC 2920 §3.1: nobody to deliver to, send no content
                expected_.push_back(Step::kAbortedData);
                arm(config_.command_timeout);
                trace(TranscriptLine::kClient, ".\r\n");
                return conn_->send(".\r\n");
            }
            fail_pending(reply);  // the accepted recipients
            return finish(false);
        }
        case Step::kDataEnd:
            fail_pending(reply);  // 2xx: delivered
            return end_transaction();
        default:
            return finish(false);
    }
}

void ClientSession::send_next_command() {
    if (next_rcpt_ < message_->recipients.size())
        return command(fmt::format("RCPT TO:<{}>", message_->recipients[next_rcpt_++]),
                       Step::kRcpt);
    if (std::find(accepted_.begin(), accepted_.end(), true) != accepted_.end())
        return command("DATA", Step::kData);
    finish(false);  // every RCPT refused: each has its outcome
}

void ClientSession::send_data() {
    expected_.push_back(Step::kDataEnd);
    arm(2 * config_.command_timeout);  // RFC 5321 §4.5.3.2.6 (and the data block itself)
    data_sent_ = 0;
    sending_data_ = true;
    const std::size_t size = message_->content ? message_->content->size() : 0;
    trace(TranscriptLine::kInfo, fmt::format("{} bytes of message content\r\n", size));
    trace(TranscriptLine::kClient, ".\r\n");
    send_data_pieces();
}

void ClientSession::send_data_pieces() {
    // The next piece once the previous one has left the output queue (write-complete).
    const std::string_view content = message_->content ? *message_->content : std::string_view();
    while (sending_data_ && conn_ && conn_->connected() && !conn_->has_pending_output()) {
        std::string piece;
        const std::size_t n = std::min(kDataPiece, content.size() - data_sent_);
        stuffer_.encode(content.substr(data_sent_, n), piece);
        data_sent_ += n;
        if (data_sent_ == content.size()) {
            stuffer_.finish(piece);
            sending_data_ = false;
        }
        conn_->send(piece);
    }
}

}  // namespace netius::net::smtp
