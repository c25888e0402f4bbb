// UPI virtual payment address: handle@psp, e.g. "asha.rao@okaxis" (NPCI allows letters, digits, . - _).
const VPA = /^[A-Za-z0-9._-]{2,256}@[A-Za-z][A-Za-z0-9]{1,63}$/;

export function isValidVpa(vpa: string): boolean {
  return VPA.test(vpa);
}
