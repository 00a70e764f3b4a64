# sos report plugin for accelctl, the userspace for Linux fwctl devices
# (NICs, DPUs, CXL memory, accelerators).
#
# Install by copying this file into sos's plugin directory (see
# contrib/sos/README.md), e.g.
#   /usr/lib/python3/dist-packages/sos/report/plugins/accelctl.py
#
# This file is part of accelctl and is licensed MIT; it only uses sos's public
# plugin API (sos >= 4.0, GPLv2), so it may also be submitted upstream.

import shlex

from sos.report.plugins import (Plugin, IndependentPlugin, RedHatPlugin,
                                DebianPlugin, UbuntuPlugin)

try:
    # sos >= 4.3: options are PluginOpt objects
    from sos.report.plugins import PluginOpt
except ImportError:
    # sos 4.0 - 4.2 (e.g. Debian bookworm): (name, desc, speed, default)
    PluginOpt = None


# (name, default, description). The names 'timeout' and (sos >= 4.3)
# 'cmd-timeout' are sos's own options for every plugin, so they are not
# redefined here: -k accelctl.timeout=SECONDS bounds the whole plugin and
# -k accelctl.cmd-timeout=SECONDS each command, as for any other plugin.
_OPTIONS = (
    ('sim_dir', '',
     'collect from the simulated fleet in this directory '
     '(accelctl --sim-dir DIR) instead of the real devices'),
    ('redact', False,
     'replace serial numbers, MAC addresses, GUIDs and host names in the '
     'dump with stable pseudonyms (accelctl dump --redact); on by default '
     'when sos runs with --clean/--mask'),
    ('rpc_timeout', 0,
     'milliseconds before accelctl gives up on one device RPC '
     '(accelctl --timeout MS); 0 keeps accelctl\'s default'),
)


def _option_list():
    if PluginOpt is not None:
        return [PluginOpt(name, default=default, desc=desc)
                for name, default, desc in _OPTIONS]
    return [(name, desc, 'fast', default) for name, default, desc in _OPTIONS]


# IndependentPlugin alone would be enough for sos >= 4.1, but sos 4.0's
# Debian policy (bookworm) only loads plugins tagged DebianPlugin.
class AccelCtl(Plugin, IndependentPlugin, RedHatPlugin, DebianPlugin,
               UbuntuPlugin):
    """Collects the state of every Linux fwctl device (mlx5, cxl, pds, bnxt,
    ...) through accelctl: the device list and `accelctl dump`, one JSON
    document with each device's identity, firmware versions, configuration,
    health and the decoded result of every read-only inspect command.

    accelctl dump sends only inspect RPCs (debug_read_only scope or below),
    enforced in accelctl's core: it never changes a device and never taints
    the kernel. This plugin runs nothing else.
    """

    short_desc = 'fwctl devices (NICs, DPUs, CXL memory) via accelctl'

    plugin_name = 'accelctl'
    profiles = ('hardware',)
    packages = ('accelctl',)
    commands = ('accelctl',)
    files = ('/dev/fwctl', '/sys/class/fwctl')

    # seconds for each command (sos default); the dump's own per-RPC timeout
    # bounds a hung device long before this
    cmd_timeout = 300

    option_list = _option_list()

    def _command_timeout(self):
        # sos >= 4.3 resolves -k accelctl.cmd-timeout / --cmd-timeout itself
        timeout = getattr(self, 'cmdtimeout', None) or self.cmd_timeout
        try:
            plugin_timeout = int(self.timeout)
        except (TypeError, ValueError):
            plugin_timeout = -1
        if 0 < plugin_timeout < timeout:
            timeout = plugin_timeout
        return timeout

    def _redact(self):
        if self.get_option('redact'):
            return True
        # sos's cleaner (--clean/--mask) obfuscates host names, IP and MAC
        # addresses but knows nothing of device serials or GUIDs: ask
        # accelctl to pseudonymise those too.
        opts = self.commons.get('cmdlineopts')
        return bool(getattr(opts, 'clean', False))

    def _accelctl(self, args):
        cmd = ['accelctl']
        sim_dir = self.get_option('sim_dir')
        if sim_dir and sim_dir is not True:
            cmd += ['--sim-dir', str(sim_dir)]
        rpc_timeout = self.get_option('rpc_timeout')
        if rpc_timeout and int(rpc_timeout) > 0:
            cmd += ['--timeout', str(int(rpc_timeout))]
        return ' '.join(shlex.quote(a) for a in cmd + list(args))

    def setup(self):
        timeout = self._command_timeout()
        env = {'NO_COLOR': '1'}

        redact = self._redact()

        self.add_cmd_output('accelctl --version', timeout=timeout, env=env)
        if redact:
            # accelctl list has no --redact and shows serial numbers; the
            # dump holds each device's identity too, pseudonymised.
            self._log_info('redacting: not collecting accelctl list')
        else:
            self.add_cmd_output(self._accelctl(['list']),
                                suggest_filename='accelctl_list',
                                timeout=timeout, env=env)
            # JSON outputs: keep stderr (warnings) out of the document
            self.add_cmd_output(self._accelctl(['list', '-o', 'json']),
                                suggest_filename='accelctl_list.json',
                                timeout=timeout, env=env, stderr=False)

        dump = ['dump']
        if redact:
            dump.append('--redact')
        # sizelimit=0: never tail-truncate the dump, which would leave
        # invalid JSON; its size is bounded by the number of devices.
        self.add_cmd_output(self._accelctl(dump),
                            suggest_filename='accelctl_dump.json',
                            timeout=timeout, env=env, stderr=False,
                            sizelimit=0)

# vim: set et ts=4 sw=4 :
