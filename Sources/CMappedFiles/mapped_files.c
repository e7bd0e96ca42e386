// See include/mapped_files.h. The handler uses only atomics and `mmap`, a plain
// system call on Linux and the BSDs (not in POSIX's async-signal-safe list, but
// free of locks and of the C library's state).
#define _GNU_SOURCE
#include "mapped_files.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { slot_count = 64 };

struct guarded_region {
    atomic_int used;          // claimed by a caller (0 or 1)
    atomic_uintptr_t base;    // 0 while not guarded; set last, cleared first
    atomic_size_t length;
    atomic_int faulted;
    atomic_int fatal;         // report instead of mapping zeros
    const char *_Atomic message;
    atomic_size_t message_length;
};

static const char *_Atomic fault_message;
static atomic_size_t fault_message_length;

static struct guarded_region regions[slot_count];
static struct sigaction previous_action;
static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static atomic_int installed;

static void on_bus_error(int signal, siginfo_t *info, void *context) {
    uintptr_t address = (uintptr_t)info->si_addr;
    for (int i = 0; i < slot_count; i++) {
        uintptr_t base = atomic_load(&regions[i].base);
        if (base == 0 || address < base || address - base >= atomic_load(&regions[i].length)) continue;
        if (atomic_load(&regions[i].fatal)) {
            atomic_store(&fault_message_length, atomic_load(&regions[i].message_length));
            atomic_store(&fault_message, atomic_load(&regions[i].message));
            break;
        }
        uintptr_t page_size = (uintptr_t)sysconf(_SC_PAGESIZE);
        void *page = (void *)(address & ~(page_size - 1));
        if (mmap(page, page_size, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
            atomic_store(&regions[i].faulted, 1);
            return;  // the read is retried and sees zeros
        }
        break;
    }
    // Not ours: what was there before.
    if (previous_action.sa_flags & SA_SIGINFO) {
        previous_action.sa_sigaction(signal, info, context);
    } else if (previous_action.sa_handler != SIG_DFL && previous_action.sa_handler != SIG_IGN) {
        previous_action.sa_handler(signal);
    } else {
        struct sigaction fallback;
        memset(&fallback, 0, sizeof fallback);
        fallback.sa_handler = SIG_DFL;
        sigemptyset(&fallback.sa_mask);
        sigaction(signal, &fallback, NULL);  // the fault recurs on return, with the default action
    }
}

static void install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_bus_error;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGBUS, &action, &previous_action) == 0) atomic_store(&installed, 1);
}

static int guard_region(const void *base, size_t length, int fatal, const char *message, size_t message_length) {
    if (base == NULL || length == 0) return -1;
    pthread_once(&install_once, install);
    if (!atomic_load(&installed)) return -1;
    for (int i = 0; i < slot_count; i++) {
        int expected = 0;
        if (!atomic_compare_exchange_strong(&regions[i].used, &expected, 1)) continue;
        atomic_store(&regions[i].faulted, 0);
        atomic_store(&regions[i].fatal, fatal);
        atomic_store(&regions[i].message, message);
        atomic_store(&regions[i].message_length, message_length);
        atomic_store(&regions[i].length, length);
        atomic_store(&regions[i].base, (uintptr_t)base);
        return i;
    }
    return -1;
}

int routeshift_mapping_guard(const void *base, size_t length) {
    return guard_region(base, length, 0, NULL, 0);
}

int routeshift_mapping_guard_fatal(const void *base, size_t length, const char *message, size_t message_length) {
    if (message == NULL) return -1;
    return guard_region(base, length, 1, message, message_length);
}

const char *routeshift_mapping_fault_message(size_t *length) {
    const char *message = atomic_load(&fault_message);
    if (message != NULL && length != NULL) *length = atomic_load(&fault_message_length);
    return message;
}

int routeshift_mapping_faulted(int slot) {
    if (slot < 0 || slot >= slot_count) return 0;
    return atomic_load(&regions[slot].faulted);
}

int routeshift_mapping_unguard(int slot) {
    if (slot < 0 || slot >= slot_count) return 0;
    atomic_store(&regions[slot].base, 0);
    atomic_store(&regions[slot].fatal, 0);
    atomic_store(&regions[slot].message, NULL);
    int faulted = atomic_exchange(&regions[slot].faulted, 0);
    atomic_store(&regions[slot].used, 0);
    return faulted;
}
