// A full disk at the one seam SQLite writes through: a VFS that wraps the default
// one and, while `FullDisk` is set, answers every write and truncate with
// SQLITE_FULL, as the unix VFS does when write() fails with ENOSPC. Installed as
// the default VFS for the scope of one test.
#pragma once

#include <sqlite3.h>

#include <atomic>
#include <cstring>

namespace studio::test {

class FullDisk {
public:
    FullDisk() {
        base_ = sqlite3_vfs_find(nullptr);
        vfs_ = *base_;
        vfs_.zName = "studio-full-disk";
        vfs_.szOsFile = static_cast<int>(sizeof(File)) + base_->szOsFile;
        vfs_.xOpen = &open;
        sqlite3_vfs_register(&vfs_, 1);
    }
    ~FullDisk() {
        sqlite3_vfs_unregister(&vfs_);
        sqlite3_vfs_register(base_, 1);
        full_ = false;
    }
    FullDisk(const FullDisk&) = delete;
    FullDisk& operator=(const FullDisk&) = delete;

    void set(bool full) { full_ = full; }
    static int refused() { return refused_; }

private:
    struct File {
        sqlite3_file base;
        sqlite3_file* real;   // follows this struct in the same allocation
    };
    static File* f(sqlite3_file* p) { return reinterpret_cast<File*>(p); }

    static int open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* out, int flags, int* out_flags) {
        File* file = f(out);
        file->real = reinterpret_cast<sqlite3_file*>(file + 1);
        std::memset(file->real, 0, static_cast<std::size_t>(base_->szOsFile));
        const int rc = base_->xOpen(base_, name, file->real, flags, out_flags);
        if (rc != SQLITE_OK || !file->real->pMethods) {
            out->pMethods = nullptr;
            return rc;
        }
        methods_ = *file->real->pMethods;
        methods_.xClose = [](sqlite3_file* p) { return f(p)->real->pMethods->xClose(f(p)->real); };
        methods_.xRead = [](sqlite3_file* p, void* b, int n, sqlite3_int64 o) {
            return f(p)->real->pMethods->xRead(f(p)->real, b, n, o);
        };
        methods_.xWrite = [](sqlite3_file* p, const void* b, int n, sqlite3_int64 o) {
            if (full_) return ++refused_, SQLITE_FULL;
            return f(p)->real->pMethods->xWrite(f(p)->real, b, n, o);
        };
        methods_.xTruncate = [](sqlite3_file* p, sqlite3_int64 size) {
            if (full_) return ++refused_, SQLITE_FULL;
            return f(p)->real->pMethods->xTruncate(f(p)->real, size);
        };
        methods_.xSync = [](sqlite3_file* p, int fl) { return f(p)->real->pMethods->xSync(f(p)->real, fl); };
        methods_.xFileSize = [](sqlite3_file* p, sqlite3_int64* s) { return f(p)->real->pMethods->xFileSize(f(p)->real, s); };
        methods_.xLock = [](sqlite3_file* p, int l) { return f(p)->real->pMethods->xLock(f(p)->real, l); };
        methods_.xUnlock = [](sqlite3_file* p, int l) { return f(p)->real->pMethods->xUnlock(f(p)->real, l); };
        methods_.xCheckReservedLock = [](sqlite3_file* p, int* r) {
            return f(p)->real->pMethods->xCheckReservedLock(f(p)->real, r);
        };
        methods_.xFileControl = [](sqlite3_file* p, int op, void* a) {
            return f(p)->real->pMethods->xFileControl(f(p)->real, op, a);
        };
        methods_.xSectorSize = [](sqlite3_file* p) { return f(p)->real->pMethods->xSectorSize(f(p)->real); };
        methods_.xDeviceCharacteristics = [](sqlite3_file* p) {
            return f(p)->real->pMethods->xDeviceCharacteristics(f(p)->real);
        };
        methods_.xShmMap = [](sqlite3_file* p, int pg, int sz, int ext, void volatile** out) {
            return f(p)->real->pMethods->xShmMap(f(p)->real, pg, sz, ext, out);
        };
        methods_.xShmLock = [](sqlite3_file* p, int o, int n, int fl) {
            return f(p)->real->pMethods->xShmLock(f(p)->real, o, n, fl);
        };
        methods_.xShmBarrier = [](sqlite3_file* p) { f(p)->real->pMethods->xShmBarrier(f(p)->real); };
        methods_.xShmUnmap = [](sqlite3_file* p, int del) { return f(p)->real->pMethods->xShmUnmap(f(p)->real, del); };
        methods_.xFetch = [](sqlite3_file* p, sqlite3_int64 o, int n, void** out) {
            return f(p)->real->pMethods->xFetch(f(p)->real, o, n, out);
        };
        methods_.xUnfetch = [](sqlite3_file* p, sqlite3_int64 o, void* ptr) {
            return f(p)->real->pMethods->xUnfetch(f(p)->real, o, ptr);
        };
        out->pMethods = &methods_;
        return rc;
    }

    static inline sqlite3_vfs* base_ = nullptr;
    static inline sqlite3_vfs vfs_{};
    static inline sqlite3_io_methods methods_{};
    static inline std::atomic<bool> full_{false};
    static inline std::atomic<int> refused_{0};
};

}  // namespace studio::test
