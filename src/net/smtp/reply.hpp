#pragma once
// SMTP replies (RFC 5321 §4.2): "<code> <text>\r\n", multi-line "<code>-<text>\r\n" ... last
// "<code> <text>\r\n". With ENHANCEDSTATUSCODES (RFC 2034 §3) the text of every reply except
// the greeting, HELO/EHLO and the 3xx continuations starts with a class.subject.detail code
// (RFC 3463). Pure functions appending to the caller's buffer; any thread.
#include <string>
#include <string_view>
#include <vector>

namespace netius::net::smtp {

struct Reply {
    int code;                   // 220, 250, 354, 421, 550...
    std::string_view enhanced;  // "2.1.0", or empty (greeting, EHLO, 334/354)
    std::string_view text;
};

/// Appends `r` as one line. `text` must not contain CR or LF (the replies built here never do;
/// text taken from a client is sanitised by the caller).
void append_reply(std::string& out, const Reply& r);
/// Appends `r` with `detail` after its text ("<detail>" in the argument of e.g. 250 2.0.0 Ok:
/// queued as ID).
void append_reply(std::string& out, const Reply& r, std::string_view detail);
/// Appends a multi-line reply: `lines` (at least one) under one code (EHLO, HELP).
void append_multiline(std::string& out, int code, const std::vector<std::string>& lines);

/// The replies of the server, named after their meaning.
namespace replies {
inline constexpr Reply kOk{250, "2.0.0", "Ok"};
inline constexpr Reply kSenderOk{250, "2.1.0", "Sender ok"};
inline constexpr Reply kRecipientOk{250, "2.1.5", "Recipient ok"};
inline constexpr Reply kQueued{250, "2.0.0", "Ok: queued as"};
inline constexpr Reply kBye{221, "2.0.0", "Bye"};
inline constexpr Reply kStartData{354, "", "End data with <CR><LF>.<CR><LF>"};
inline constexpr Reply kCannotVerify{252, "2.5.0",
                                     "Cannot VRFY user, but will accept message and attempt "
                                     "delivery"};
inline constexpr Reply kStartTls{220, "2.0.0", "Ready to start TLS"};
inline constexpr Reply kAuthOk{235, "2.7.0", "Authentication successful"};

inline constexpr Reply kShuttingDown{421, "4.3.2", "Service shutting down, closing connection"};
inline constexpr Reply kTimeout{421, "4.4.2", "Timeout exceeded, closing connection"};
inline constexpr Reply kTooManyErrors{421, "4.7.0", "Too many errors, closing connection"};
inline constexpr Reply kStorageFailed{451, "4.3.0",
                                      "Local error in processing: message not stored"};
inline constexpr Reply kStorageFull{452, "4.3.1",
                                    "Insufficient system storage: message not stored"};
inline constexpr Reply kTooManyRecipients{452, "4.5.3", "Too many recipients"};
inline constexpr Reply kTlsUnavailable{454, "4.7.0", "TLS not available"};
inline constexpr Reply kAuthTemporary{454, "4.7.0", "Temporary authentication failure"};

inline constexpr Reply kUnknownCommand{500, "5.5.2", "Command unrecognized"};
inline constexpr Reply kLineTooLong{500, "5.5.0", "Line too long"};
inline constexpr Reply kAuthLineTooLong{500, "5.5.6", "Authentication exchange line is too long"};
inline constexpr Reply kSyntax{501, "5.5.4", "Syntax error in parameters or arguments"};
inline constexpr Reply kBadSender{501, "5.1.7", "Bad sender address syntax"};
inline constexpr Reply kBadRecipient{501, "5.1.3", "Bad recipient address syntax"};
inline constexpr Reply kBadBase64{501, "5.5.2", "Cannot decode the authentication response"};
inline constexpr Reply kAuthCancelled{501, "5.7.0", "Authentication cancelled"};
inline constexpr Reply kNotImplemented{502, "5.5.1", "Command not implemented"};
inline constexpr Reply kBadSequence{503, "5.5.1", "Bad sequence of commands"};
inline constexpr Reply kHeloFirst{503, "5.5.1", "Send HELO/EHLO first"};
inline constexpr Reply kMailFirst{503, "5.5.1", "Need MAIL before RCPT"};
inline constexpr Reply kRcptFirst{503, "5.5.1", "Need RCPT before DATA"};
inline constexpr Reply kNestedMail{503, "5.5.1", "Sender already specified"};
inline constexpr Reply kAlreadyTls{503, "5.5.1", "TLS already active"};
inline constexpr Reply kAlreadyAuthenticated{503, "5.5.1", "Already authenticated"};
inline constexpr Reply kUnknownMechanism{504, "5.5.4", "Unrecognized authentication type"};
inline constexpr Reply kAuthRequired{530, "5.7.0", "Authentication required"};
inline constexpr Reply kAuthFailed{535, "5.7.8", "Authentication credentials invalid"};
inline constexpr Reply kEncryptionRequired{538, "5.7.11",
                                           "Encryption required for requested authentication "
                                           "mechanism"};
inline constexpr Reply kDomainRefused{550, "5.1.1", "Recipient domain not accepted here"};
inline constexpr Reply kMessageTooBig{552, "5.3.4",
                                      "Message size exceeds fixed maximum message size"};
inline constexpr Reply kMailboxNotAllowed{553, "5.1.3", "Mailbox name not allowed"};
inline constexpr Reply kNeedsSmtpUtf8{553, "5.6.7", "Non-ASCII address requires SMTPUTF8"};
inline constexpr Reply kBadParameter{555, "5.5.4",
                                     "MAIL/RCPT parameter not recognized or not implemented"};
}  // namespace replies

}  // namespace netius::net::smtp
