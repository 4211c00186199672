#pragma once
// Whole-file input and crash-safe output for the command-line tools.
// All functions run on the calling thread, block, and throw netius::Error on failure with a
// message naming the path and the system error.
#include <string>
#include <string_view>

namespace netius {

/// Limit on any file a tool reads whole (keys, messages): 64 MiB. Larger input is refused.
inline constexpr std::size_t kMaxInputFile = 64u << 20;

/// Reads `path` whole; "-" reads standard input. Refuses more than kMaxInputFile bytes.
std::string read_input(const std::string& path);

struct WriteOptions {
    bool overwrite = true;  // false: fail if `path` already exists
    unsigned mode = 0644;   // permission bits of a newly created file (umask still applies)
    /// fsync the file and its directory before and after the rename (crash-safe). Bulk
    /// downloads turn it off, as curl and wget do: readers still never see a partial file.
    bool fsync = true;
};

/// A file written in pieces and published whole: bytes go to a temporary file in the same
/// directory, which commit() renames over `path` (keeping the mode of a file it replaces);
/// without commit() (an error, or destruction first) the temporary file is removed and `path`
/// is untouched. Not thread-safe.
class AtomicFile {
  public:
    /// Creates the temporary file. Throws netius::Error if it cannot, or if `path` exists and
    /// !options.overwrite.
    explicit AtomicFile(std::string path, const WriteOptions& options = {});
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    /// Appends `data`. Throws netius::Error (e.g. "cannot write '.netius-x1Y2z3': No space
    /// left on device").
    void write(std::string_view data);
    /// Discards everything written so far. Throws netius::Error.
    void truncate();
    /// Publishes the file. Throws netius::Error (the temporary file is then removed).
    void commit();

    const std::string& path() const { return path_; }

  private:
    std::string path_;
    std::string dir_;
    std::string tmp_;
    WriteOptions options_;
    int fd_ = -1;
};

/// Writes `data` to `path` atomically: a temporary file in the same directory is written,
/// fsynced and renamed over `path`, so readers see the old or the new content, never a mix.
/// "-" writes to standard output instead. On failure the original file is untouched and the
/// temporary file is removed.
void write_output(const std::string& path, std::string_view data, const WriteOptions& options);

/// Writes all of `data` to standard output (retrying short writes).
void write_stdout(std::string_view data);

}  // namespace netius
