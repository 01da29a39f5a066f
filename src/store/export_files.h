// Writing an export where a manager can take it away: a USB drive plugged into the
// kiosk, or a folder on the kiosk itself. The file appears complete under its final name
// or not at all, and a failure says in plain English what went wrong and what to do.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace studio {

struct ExportTarget {
    std::string path;         // the folder to write into
    std::string label;        // a drive: its name (the mount folder's name); the fallback: its path
    bool removable = false;   // true for a mounted drive
};

// Folders to offer, drives first (by label), then `fallback_dir` (left out when empty).
// A drive is a directory that is a mount point (st_dev differs from its parent's) either
// directly under `media_root` (/media/LABEL) or one level down (/media/USER/LABEL, how
// udisks mounts) when the folder above it is not a mount point itself. Hidden entries and
// symlinks are skipped; a missing or unreadable `media_root` just means no drives.
// require_mount_point = false is for tests on a plain temp folder, where nothing is a
// mount point: there a folder named after a user account on this machine is a USER
// folder (searched one level down) and any other folder is a drive.
std::vector<ExportTarget> export_targets(const std::string& fallback_dir, const std::string& media_root = "/media",
                                         bool require_mount_point = true);

enum class ExportError { None, NoSuchFolder, ReadOnly, Full, Io };
std::string_view to_string(ExportError e);   // "none", "no_such_folder", "read_only", "full", "io"

struct ExportResult {
    ExportError error = ExportError::None;
    std::string path;         // the final file's path (also when it could not be written)
    std::string message;      // plain English for the manager, e.g. "The drive is full. ..."; empty on success
    std::size_t bytes = 0;    // bytes written: the whole content on success
    bool ok() const { return error == ExportError::None; }
};

// Writes `content` to `dir/file_name` through a temporary `file_name.part` in the same
// folder, in chunks, calling progress(done_bytes, total_bytes) after each (once with
// (0, 0) for empty content); fsync()s the file, renames it into place and fsync()s the
// folder so the rename itself survives a pulled plug. Never leaves a partial file under
// the final name, and removes the temporary file on failure. errno decides the error:
// ENOENT/ENOTDIR -> NoSuchFolder, EROFS/EACCES/EPERM -> ReadOnly, ENOSPC/EDQUOT -> Full,
// anything else -> Io. If only the final folder sync fails, the complete file is in place
// but the result is still Io: the drive did not confirm it kept the rename.
// A file_name that is empty or holds a '/' throws std::invalid_argument.
ExportResult write_export(const std::string& dir, const std::string& file_name, const std::string& content,
                          const std::function<void(std::size_t, std::size_t)>& progress = {});

// The same, with the write(2) to use: a seam for tests to fail midway (a full drive).
using ExportWriteFn = std::function<ssize_t(int fd, const void* data, std::size_t size)>;
ExportResult write_export(const std::string& dir, const std::string& file_name, const std::string& content,
                          const std::function<void(std::size_t, std::size_t)>& progress,
                          const ExportWriteFn& write_fn);

// "attendance_2026-11-01_2026-11-30.csv". `kind` is "attendance", "clients" or "classes";
// anything else, or a malformed date, throws std::invalid_argument.
std::string export_file_name(const std::string& kind, const std::string& from, const std::string& to);

}  // namespace studio
