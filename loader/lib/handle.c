// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The HANDLE Dot11ExtSetKeyMappingKey takes is an opaque number, not the adapter's address:
 * a caller may pass any value, a closed handle included, and the library must answer
 * ERROR_INVALID_HANDLE without touching memory it does not own. Live adapters are found
 * through a process-wide registry under a mutex. Values come from a counter and are never
 * reused within the process, so a closed handle stays invalid even after new opens.
 */
#include <stdlib.h>

#include "internal.h"

/* Handle values are multiples of 4, as Windows handles are; the first is 4, never NULL. */
#define HANDLE_STEP 4

struct registry_entry {
	uintptr_t handle;
	struct dot11xdp_adapter *adapter;
};

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static struct registry_entry *registry;
static size_t registry_len, registry_cap;
static uintptr_t last_handle;

int dot11xdp_handle_register(struct dot11xdp_adapter *adapter)
{
	int err = 0;

	pthread_mutex_lock(&registry_lock);
	if (registry_len == registry_cap) {
		size_t cap = registry_cap ? 2 * registry_cap : 8;
		struct registry_entry *grown = realloc(registry, cap * sizeof(*grown));

		if (!grown) {
			err = -ENOMEM;
			goto out;
		}
		registry = grown;
		registry_cap = cap;
	}
	/* A wrap (2^62 opens on 64-bit) would bring back old values: refuse instead. */
	if (last_handle > UINTPTR_MAX - HANDLE_STEP) {
		err = -EMFILE;
		goto out;
	}
	last_handle += HANDLE_STEP;
	adapter->handle = last_handle;
	adapter->refs = 1;
	registry[registry_len++] = (struct registry_entry){ last_handle, adapter };
out:
	pthread_mutex_unlock(&registry_lock);
	return err;
}

bool dot11xdp_handle_unregister(struct dot11xdp_adapter *adapter)
{
	bool last;

	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < registry_len; i++) {
		if (registry[i].adapter == adapter) {
			registry[i] = registry[--registry_len];
			break;
		}
	}
	last = --adapter->refs == 0;
	pthread_mutex_unlock(&registry_lock);
	return last;
}

struct dot11xdp_adapter *dot11xdp_handle_get(const void *handle)
{
	struct dot11xdp_adapter *adapter = NULL;
	uintptr_t value = (uintptr_t)handle;

	if (!value)
		return NULL;
	pthread_mutex_lock(&registry_lock);
	for (size_t i = 0; i < registry_len; i++) {
		if (registry[i].handle == value) {
			adapter = registry[i].adapter;
			adapter->refs++;
			break;
		}
	}
	pthread_mutex_unlock(&registry_lock);
	return adapter;
}

void dot11xdp_handle_put(struct dot11xdp_adapter *adapter)
{
	bool last;

	pthread_mutex_lock(&registry_lock);
	last = --adapter->refs == 0;
	pthread_mutex_unlock(&registry_lock);
	if (last)
		dot11xdp_adapter_free(adapter);
}
