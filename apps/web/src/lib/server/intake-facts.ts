/**
 * The serial and phone fields of the intake and edit forms (SPEC S8), checked by the job
 * model's own rules so the form says in plain words what the API would refuse.
 */
import { checkPhone, checkSerial, JobModelError } from '@pitboard/job-model';

export function intakeFactErrors(values: { serial?: string; customerPhone?: string }): Record<string, string> {
  const errors: Record<string, string> = {};
  try {
    if (values.customerPhone !== undefined) checkPhone(values.customerPhone);
  } catch (e) {
    if (!(e instanceof JobModelError)) throw e;
    errors.customerPhone = 'Enter a phone number: digits, spaces and + - ( ) only, at least 3 digits, at most 40 characters.';
  }
  try {
    if (values.serial !== undefined) checkSerial(values.serial);
  } catch (e) {
    if (!(e instanceof JobModelError)) throw e;
    errors.serial = 'Keep the serial number under 64 characters.';
  }
  return errors;
}
