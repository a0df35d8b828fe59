# SPDX-License-Identifier: GPL-2.0
"""Raw generic netlink requests to the voipguard family, for selftests.

  python3 genl_probe.py CASE    prints "errno=N msg=TEXT" for the reply

Each case builds one request by hand (attributes the vgctl tool would never
send) so the kernel's strict validation and its extended ack messages are
seen exactly as a hostile or buggy client would see them.
"""
import os
import re
import socket
import struct
import sys

NETLINK_GENERIC = 16
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_ACK_TLVS = 0x200
NLMSG_ERROR = 0x2
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLA_F_NESTED = 0x8000
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_OFFS = 2



def uapi_enums():
    """Enumerator values read from the UAPI header, so they never drift."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                        "../../include/uapi/linux/voipguard.h")
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    values = {}
    for body in re.findall(r"enum \w+ \{(.*?)\};", text, flags=re.S):
        nxt = 0
        for item in body.split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            if expr:
                expr = expr.strip()
                nxt = values[expr[:-4].strip()] if expr.endswith("- 1") \
                    and expr[:-4].strip() in values else None
                if nxt is None:
                    continue
                values[name] = nxt - 1
                continue
            values[name] = nxt
            nxt += 1
    return values


E = uapi_enums()
VG_CMD_CONFIG_GET = E["VG_CMD_CONFIG_GET"]
VG_CMD_CONFIG_SET = E["VG_CMD_CONFIG_SET"]
VG_CMD_STATS_GET = E["VG_CMD_STATS_GET"]
VG_A_VERSION = E["VG_A_VERSION"]
VG_A_CONFIG = E["VG_A_CONFIG"]
VG_CFG_A_MODE = E["VG_CFG_A_MODE"]
VG_CFG_A_DSCP_RTP = E["VG_CFG_A_DSCP_RTP"]


def nla(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def u8(v):
    return struct.pack("=B", v)


class Genl:
    def __init__(self):
        self.s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                               NETLINK_GENERIC)
        self.s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.s.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.s.bind((0, 0))
        self.seq = 1

    def request(self, family, cmd, attrs, version=1, reserved=0, flags=0):
        payload = struct.pack("=BBH", cmd, version, reserved) + attrs
        hdr = struct.pack("=IHHII", 16 + len(payload), family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.seq += 1
        self.s.send(hdr + payload)
        replies = []
        while True:
            data = self.s.recv(65536)
            off = 0
            while off < len(data):
                length, mtype, mflags = struct.unpack_from("=IHH", data, off)
                msg = data[off:off + length]
                off += (length + 3) & ~3
                if mtype == NLMSG_ERROR:
                    return self.parse_error(msg, mflags), replies
                replies.append(msg)

    @staticmethod
    def parse_error(msg, mflags):
        err = struct.unpack_from("=i", msg, 16)[0]
        out = {"errno": -err, "msg": None, "offs": None}
        if mflags & NLM_F_ACK_TLVS:
            # error code + the capped original header, then TLVs
            off = 16 + 4 + 16
            while off + 4 <= len(msg):
                alen, atype = struct.unpack_from("=HH", msg, off)
                if alen < 4:
                    break
                val = msg[off + 4:off + alen]
                if atype == NLMSGERR_ATTR_MSG:
                    out["msg"] = val.rstrip(b"\0").decode(errors="replace")
                elif atype == NLMSGERR_ATTR_OFFS:
                    out["offs"] = struct.unpack("=I", val)[0]
                off += (alen + 3) & ~3
        return out

    def family_id(self, name):
        err, replies = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                                    nla(CTRL_ATTR_FAMILY_NAME,
                                        name.encode() + b"\0"))
        if err["errno"] or not replies:
            return None
        msg = replies[0]
        off = 20
        while off + 4 <= len(msg):
            alen, atype = struct.unpack_from("=HH", msg, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", msg, off + 4)[0]
            off += (alen + 3) & ~3
        return None


def cases(fam):
    mode = nla(VG_CFG_A_MODE, u8(1))
    return {
        # well-formed: must succeed
        "valid_set": (VG_CMD_CONFIG_SET,
                      nla(VG_A_CONFIG | NLA_F_NESTED, mode), {}),
        "mode_out_of_range": (VG_CMD_CONFIG_SET,
                              nla(VG_A_CONFIG | NLA_F_NESTED,
                                  nla(VG_CFG_A_MODE, u8(7))), {}),
        "nest_without_flag": (VG_CMD_CONFIG_SET, nla(VG_A_CONFIG, mode), {}),
        "missing_config": (VG_CMD_CONFIG_SET, b"", {}),
        "empty_config": (VG_CMD_CONFIG_SET,
                         nla(VG_A_CONFIG | NLA_F_NESTED, b""), {}),
        # VG_CFG_A_PAD (1): in the set, but nothing a request may carry
        "unsupported_key": (VG_CMD_CONFIG_SET,
                            nla(VG_A_CONFIG | NLA_F_NESTED,
                                nla(1, u8(46))), {}),
        "attr_to_get": (VG_CMD_CONFIG_GET,
                        nla(VG_A_VERSION, b"x\0"), {}),
        "unknown_attr_type": (VG_CMD_CONFIG_SET,
                              nla(VG_A_CONFIG | NLA_F_NESTED, mode) +
                              nla(200, b"\0\0\0\0"), {}),
        "wrong_attr_size": (VG_CMD_CONFIG_SET,
                            nla(VG_A_CONFIG | NLA_F_NESTED,
                                nla(VG_CFG_A_MODE, b"\1\0\0\0\0\0\0\0")),
                            {}),
        # attribute claims more bytes than the message has
        "truncated_attr": (VG_CMD_CONFIG_SET,
                           struct.pack("=HH", 40, VG_A_CONFIG | NLA_F_NESTED)
                           + mode, {}),
        "reserved_nonzero": (VG_CMD_STATS_GET, b"", {"reserved": 1}),
    }


def main():
    g = Genl()
    fam = g.family_id("voipguard")
    if fam is None:
        print("errno=%d msg=family not found" % 2)
        return 1
    cmd, attrs, kw = cases(fam)[sys.argv[1]]
    err, _ = g.request(fam, cmd, attrs, **kw)
    print("errno=%d (%s) msg=%s offs=%s" % (err["errno"],
          os.strerror(err["errno"]) if err["errno"] else "ok",
          err["msg"], err["offs"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
