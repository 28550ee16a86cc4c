/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* For code that includes Microsoft's wlanihv.h: what dot11xdp implements of it is in windot11.h. */
#include "windot11.h"
