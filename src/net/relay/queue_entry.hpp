#pragma once
// QueueEntry — one queued message's envelope and per-recipient delivery state, and its
// on-disk text form. Pure (no I/O); any thread.
//
// Queue directory layout (QueueStore): for message ID,
//   ID.eml  the message file: the envelope as accepted (below), one empty line, then the
//           message exactly as it goes out (CRLF lines, Received/Date/Message-ID and any
//           DKIM-Signature already added). Written once, under its own name, and never
//           changed. Its recipients are all of the message's: a message with local and
//           remote recipients is queued whole (the local ones go to the Maildir from here).
//   ID.env  the envelope; its existence commits the message. At acceptance it is a hard link
//           to ID.eml (its envelope is the text before the first empty line), so accepting
//           costs one file fsync plus a directory fsync shared by concurrent enqueues; where
//           links fail, and after every state change, a file holding only the envelope,
//           replaced atomically (temp file, fsync, rename, directory fsync).
//   *.tmp   an envelope update in progress; left behind only by a crash, removed on start.
// Compatibility: queues written by earlier versions (which also wrote ID.eml through a temp
// name, and queued only the remote recipients of a mixed message) have the same files and
// format and are delivered as they are.
// Recovery on start: *.tmp removed; an ID.eml without ID.env (an enqueue cut short, never
// acknowledged) removed; an ID.env that cannot be read or parsed, or whose ID.eml is missing,
// is skipped and logged, and left for a person to look at.
// Envelope file (UTF-8 text, LF lines, fields separated by one TAB; text fields never hold
// TAB, CR or LF — they are replaced by spaces):
//   netius-queue 1
//   id         ID
//   created    UNIX-SECONDS
//   sender     ADDRESS            (empty for the null sender "<>")
//   flags      [smtputf8] [8bit]
//   bounced    0|1                (the bounce for the failed recipients is queued already)
//   rcpt       STATE ATTEMPTS NEXT-UNIX-SECONDS CODE ENHANCED REMOTE ADDRESS DIAGNOSTIC
// with STATE pending|delivered|failed; CODE 0 when no reply was received; ENHANCED and REMOTE
// "-" when empty. Unknown lines are an error (a newer format): the file is left alone.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netius::net::relay {

/// The first line of an envelope (and so of a message file).
inline constexpr std::string_view kQueueMagic = "netius-queue 1";

enum class RecipientState { kPending, kDelivered, kFailed };

struct QueuedRecipient {
    std::string address;
    RecipientState state = RecipientState::kPending;
    int attempts = 0;
    std::int64_t next_attempt = 0;  // unix seconds; meaningful while pending
    int code = 0;                   // last reply code, 0 when none
    std::string enhanced;           // last enhanced status ("4.2.0"), or empty
    std::string remote;             // host that gave the last answer, or empty
    std::string diagnostic;         // last reply text or local error, one line
};

struct QueueEntry {
    std::string id;
    std::int64_t created = 0;  // unix seconds, when the message was accepted
    std::string sender;        // empty: null sender (bounces; never bounced themselves)
    bool smtputf8 = false;
    bool eight_bit = false;
    bool bounced = false;
    std::vector<QueuedRecipient> recipients;

    /// True when every recipient is delivered or failed.
    bool finished() const;
    /// Recipients in state kFailed.
    std::vector<const QueuedRecipient*> failures() const;
};

std::string_view state_name(RecipientState s);

/// The envelope file text of `entry`.
std::string format_entry(const QueueEntry& entry);

/// Parses an envelope file; nullopt (with `error` set when given) for anything malformed:
/// wrong magic, unknown or missing line, bad number or state, no recipient.
std::optional<QueueEntry> parse_entry(std::string_view text, std::string* error = nullptr);

/// The head of a message file (ID.eml): format_entry(entry) and an empty line; the message
/// content follows it (written separately, so a large message is not copied).
std::string message_file_head(const QueueEntry& entry);

/// Where the message starts in a message file (or a prefix of one): just past the envelope's
/// empty line. nullopt when `text` does not start with the envelope magic line or holds no
/// empty line yet (a prefix too short, or not a message file).
std::optional<std::size_t> message_offset(std::string_view text);

/// A queue id for messages the relay makes itself (bounces): 16 random upper-case hex digits,
/// like the session's ids. Any thread.
std::string make_queue_id();

}  // namespace netius::net::relay
