// Export files
//  - export_targets: mounted drives under /media, then the fallback folder
//  - write_export: temp file, chunks with progress, fsync, rename, fsync the folder
//  - export_file_name
#include "store/export_files.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "core/clock.h"

namespace studio {

namespace fs = std::filesystem;

namespace {

// ---- export_targets ---------------------------------------------------------------

// Real (not symlinked), visible subdirectories, by name. Errors mean "none": a drive
// pulled out while we look must not stop the others from being offered.
std::vector<fs::path> subdirectories(const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.empty() || name.front() == '.') continue;
        std::error_code sec;
        if (fs::is_directory(it->symlink_status(sec)) && !sec) out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Another file system is mounted here when the folder's device differs from its parent's.
bool is_mount_point(const fs::path& dir) {
    struct stat self {}, parent {};
    if (::stat(dir.c_str(), &self) != 0 || ::stat((dir / "..").c_str(), &parent) != 0) return false;
    return self.st_dev != parent.st_dev;
}

bool is_user_account(const std::string& name) {
    struct passwd pw {}, *found = nullptr;
    std::vector<char> buf(16384);
    return ::getpwnam_r(name.c_str(), &pw, buf.data(), buf.size(), &found) == 0 && found != nullptr;
}

// ---- write_export -----------------------------------------------------------------

// Big enough to keep a slow USB stick busy, small enough for a progress bar that moves.
constexpr std::size_t kChunkBytes = 64 * 1024;

ExportError classify(int err) {
    switch (err) {
        case ENOENT:
        case ENOTDIR: return ExportError::NoSuchFolder;
        case EROFS:
        case EACCES:
        case EPERM: return ExportError::ReadOnly;
        case ENOSPC:
        case EDQUOT: return ExportError::Full;
        default: return ExportError::Io;
    }
}

std::string message_for(ExportError e, int err, const std::string& dir) {
    switch (e) {
        case ExportError::None: return {};
        case ExportError::NoSuchFolder:
            return "The folder " + dir + " is not there. If it is on a USB drive, check that the drive is plugged in.";
        case ExportError::ReadOnly:
            return "The drive is read-only, so nothing can be saved on it. Unlock it (some drives have a small switch) "
                   "or choose another one.";
        case ExportError::Full: return "The drive is full. Free some space on it or choose another one.";
        case ExportError::Io: break;
    }
    return "The file could not be saved (" + std::generic_category().message(err) +
           "). Try again, or choose another drive.";
}

ExportResult failed(ExportResult r, int err, const std::string& dir) {
    r.error = classify(err);
    r.message = message_for(r.error, err, dir);
    return r;
}

// The temporary file: closed and removed on every way out unless it was renamed into
// place, including an exception thrown by the progress callback.
struct TempFile {
    std::string path;
    int fd = -1;
    bool renamed = false;
    ~TempFile() {
        if (fd >= 0) ::close(fd);
        if (!renamed && !path.empty()) ::unlink(path.c_str());
    }
};

}  // namespace

std::vector<ExportTarget> export_targets(const std::string& fallback_dir, const std::string& media_root,
                                         bool require_mount_point) {
    std::vector<ExportTarget> drives;
    auto add = [&](const fs::path& p) { drives.push_back({p.string(), p.filename().string(), true}); };
    for (const auto& top : subdirectories(media_root)) {
        const bool drive = require_mount_point ? is_mount_point(top) : !is_user_account(top.filename().string());
        if (drive) {
            add(top);   // never searched further: its subfolders are folders on the drive
            continue;
        }
        for (const auto& inner : subdirectories(top))
            if (!require_mount_point || is_mount_point(inner)) add(inner);
    }
    std::sort(drives.begin(), drives.end(), [](const ExportTarget& a, const ExportTarget& b) {
        return a.label != b.label ? a.label < b.label : a.path < b.path;
    });
    if (!fallback_dir.empty()) drives.push_back({fallback_dir, fallback_dir, false});
    return drives;
}

std::string_view to_string(ExportError e) {
    switch (e) {
        case ExportError::None: return "none";
        case ExportError::NoSuchFolder: return "no_such_folder";
        case ExportError::ReadOnly: return "read_only";
        case ExportError::Full: return "full";
        case ExportError::Io: return "io";
    }
    return "io";
}

ExportResult write_export(const std::string& dir, const std::string& file_name, const std::string& content,
                          const std::function<void(std::size_t, std::size_t)>& progress) {
    return write_export(dir, file_name, content, progress,
                        [](int fd, const void* data, std::size_t size) { return ::write(fd, data, size); });
}

ExportResult write_export(const std::string& dir, const std::string& file_name, const std::string& content,
                          const std::function<void(std::size_t, std::size_t)>& progress,
                          const ExportWriteFn& write_fn) {
    if (file_name.empty() || file_name == "." || file_name == ".." || file_name.find('/') != std::string::npos)
        throw std::invalid_argument("not a plain file name: \"" + file_name + "\"");
    ExportResult r;
    r.path = (fs::path(dir) / file_name).string();

    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0) return failed(r, errno, dir);
    if (!S_ISDIR(st.st_mode)) return failed(r, ENOTDIR, dir);

    // The same folder as the final file: rename() is atomic only within one file system.
    TempFile tmp;
    tmp.path = r.path + ".part";
    tmp.fd = ::open(tmp.path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (tmp.fd < 0) {
        const int err = errno;
        tmp.path.clear();   // not ours: nothing to remove
        return failed(r, err, dir);
    }

    const std::size_t total = content.size();
    while (r.bytes < total) {
        const std::size_t chunk_end = std::min(total, r.bytes + kChunkBytes);
        while (r.bytes < chunk_end) {
            const ssize_t n = write_fn(tmp.fd, content.data() + r.bytes, chunk_end - r.bytes);
            if (n < 0 && errno == EINTR) continue;
            // A write that makes no progress would loop forever; report it as an I/O error.
            if (n <= 0) return failed(r, n < 0 ? errno : EIO, dir);
            r.bytes += static_cast<std::size_t>(n);
        }
        if (progress) progress(r.bytes, total);
    }
    if (total == 0 && progress) progress(0, 0);

    // FAT drives and network folders may report a full disk only here, at fsync or close.
    if (::fsync(tmp.fd) != 0) return failed(r, errno, dir);
    const int fd = tmp.fd;
    tmp.fd = -1;   // close() once, even when it fails: the descriptor is gone either way
    if (::close(fd) != 0) return failed(r, errno, dir);
    if (::rename(tmp.path.c_str(), r.path.c_str()) != 0) return failed(r, errno, dir);
    tmp.renamed = true;

    // The rename lives in the folder: without this a pulled plug can lose the whole file.
    const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int dir_err = dfd < 0 ? errno : 0;
    if (dfd >= 0) {
        if (::fsync(dfd) != 0) dir_err = errno;
        ::close(dfd);
    }
    // Some file systems cannot sync a folder (EINVAL): the data is synced, that is all they offer.
    if (dir_err != 0 && dir_err != EINVAL && dir_err != ENOTSUP) {
        r.error = ExportError::Io;
        r.message = "The file was written but the drive did not confirm it was saved (" +
                    std::generic_category().message(dir_err) + "). Check it on a computer, or export again.";
    }
    return r;
}

std::string export_file_name(const std::string& kind, const std::string& from, const std::string& to) {
    if (kind != "attendance" && kind != "clients" && kind != "classes")
        throw std::invalid_argument("unknown export kind \"" + kind + "\" (attendance, clients or classes)");
    if (!valid_date(from) || !valid_date(to))
        throw std::invalid_argument("export dates must be YYYY-MM-DD: \"" + from + "\", \"" + to + "\"");
    return kind + "_" + from + "_" + to + ".csv";
}

}  // namespace studio
