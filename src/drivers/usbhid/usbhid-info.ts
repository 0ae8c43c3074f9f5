import type { DriverInfo } from '../driver-core.js';

/** NUT 2.8.0 usbhid-ups's defaults (usbhid-ups.h). */
export const DEFAULT_POLLFREQ_SECONDS = 30;
export const DEFAULT_OFFDELAY_SECONDS = 20;
export const DEFAULT_ONDELAY_SECONDS = 30;

/**
 * usbhid-ups as ups.conf knows it: NUT 2.8.0's variables (usbhid-ups.c makevartable and
 * libusb's nut_usb_addvars), plus the later onlinedischarge_* spellings, so existing sections
 * are accepted unchanged. `port` is `auto` (NUT ignores its value for USB) or `replay:<file>`,
 * a recorded device played back as if it were plugged in.
 */
export const USBHID_UPS_INFO: DriverInfo = {
  name: 'usbhid-ups',
  version: '0.47',
  variables: [
    { name: 'lowbatt', description: 'Set low battery level, in % (default=30)' },
    { name: 'offdelay', description: `Set shutdown delay, in seconds (default=${DEFAULT_OFFDELAY_SECONDS})` },
    { name: 'ondelay', description: `Set startup delay, in seconds (default=${DEFAULT_ONDELAY_SECONDS})` },
    { name: 'pollfreq', description: `Set polling frequency, in seconds, to reduce data flow (default=${DEFAULT_POLLFREQ_SECONDS})` },
    { name: 'pollonly', description: "Don't use interrupt pipe, only use polling" },
    { name: 'onlinedischarge', description: 'Set to treat discharging while online as being offline' },
    { name: 'onlinedischarge_onbattery', description: 'Set to treat discharging while online as being on battery (NUT 2.8.1)' },
    { name: 'onlinedischarge_calibration', description: 'Set to treat discharging while online as calibration (NUT 2.8.1)' },
    { name: 'vendor', description: 'Regular expression to match UPS Manufacturer string' },
    { name: 'product', description: 'Regular expression to match UPS Product string' },
    { name: 'serial', description: 'Regular expression to match UPS Serial number' },
    { name: 'vendorid', description: 'Regular expression to match UPS Manufacturer numerical ID (4 digits hexadecimal)' },
    { name: 'productid', description: 'Regular expression to match UPS Product numerical ID (4 digits hexadecimal)' },
    { name: 'bus', description: 'Regular expression to match USB bus name' },
    { name: 'device', description: 'Regular expression to match USB device name' },
    { name: 'explore', description: 'Diagnostic matching of unsupported UPS' },
    { name: 'maxreport', description: 'Activate tweak for buggy APC Back-UPS firmware' },
    { name: 'interruptonly', description: "Don't use polling, only use interrupt pipe" },
    { name: 'interruptsize', description: 'Number of bytes to read from interrupt pipe' },
    { name: 'usb_set_altinterface', description: 'Force redundant call to usb_set_altinterface() (ignored on hidraw)' },
    { name: 'maxfailures', description: 'upsgate: reconnect attempts in a row before the driver gives up and the process exits (default 30)' },
  ],
};
