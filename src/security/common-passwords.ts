/**
 * Passwords of 12+ characters that still top breach lists (shorter ones fail the length rule
 * anyway). Compared case-insensitively; also refused: one repeated character, a plain run of digits
 * or keyboard letters, and the product's own name with digits.
 */
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  '123456789012', '1234567890123', '12345678901234', '123456789123', '1234567891011', '111111111111', '000000000000',
  '123123123123', '123412341234', '121212121212', '112233445566', '147258369147', '987654321098', '098765432109',
  'password1234', 'password12345', 'password123456', 'password@123', 'password!123', 'password1234!', 'passwordpassword',
  'password1!password', 'mypassword123', 'mypassword1234', 'newpassword123', 'thisismypassword', 'secretpassword',
  'qwertyuiop12', 'qwertyuiop123', 'qwerty123456', 'qwerty1234567', 'qwertyqwerty', 'qwertyuiopasdf', 'qwertyuiopasdfgh',
  'asdfghjkl123', 'zxcvbnm12345', '1q2w3e4r5t6y', '1qaz2wsx3edc', 'q1w2e3r4t5y6', 'qazwsxedcrfv',
  'zaq12wsxcde3', '1qazxsw23edc', 'iloveyou1234', 'iloveyouforever', 'letmein12345', 'welcome12345', 'welcome123456',
  'welcome@1234', 'changeme1234', 'changeme123!', 'administrator', 'administrator1', 'admin1234567', 'adminadmin123',
  'admin@123456', 'superadmin123', 'rootpassword', 'default12345', 'trustno11234', 'football1234', 'baseball1234',
  'basketball12', 'superman1234', 'batman123456', 'starwars1234', 'princess1234', 'sunshine1234', 'monkey123456',
  'dragon123456', 'master123456', 'shadow123456', 'michael12345', 'jennifer1234', 'charlie12345', 'whatever1234',
  'abcdefghijkl', 'abcdefgh1234', 'abcd12345678', 'abc123456789', 'abcabcabcabc', 'aaaaaaaaaaaa', 'helloworld12',
  'helloworld123', 'hello1234567', 'computer1234', 'internet1234', 'samsung12345', 'spiderman123', 'pokemon12345',
  'contraseña123', 'contrasena123', 'contrasena1234', 'contraseña1234', 'micontrasena', 'micontraseña1', 'bienvenido123',
  'bienvenido1234', 'teamo1234567', 'argentina123', 'argentina1234', 'bocajuniors1', 'riverplate12', 'colocolo1234',
  'mercado12345', 'supermercado', 'supermercado1', 'passw0rd1234', 'p@ssw0rd1234', 'p@ssword1234', 'pa$$word1234',
  'correcthorsebatterystaple', 'letmeinletmein', 'partnerportal', 'partner12345',
]);

const PRODUCT_WORDS = /^(comanda|comandas|demo|partner|portal|sftp|admin|staff|operator)[\d\W_]*$/;
const KEYBOARD_RUNS = ['1234567890', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm', 'abcdefghijklmnopqrstuvwxyz', '0987654321'];

/** True when the password is on the list or is one of the trivial shapes above. */
export function isCommonPassword(password: string): boolean {
  const p = password.toLowerCase();
  if (COMMON_PASSWORDS.has(p)) return true;
  if (/^(.)\1*$/u.test(p)) return true;
  if (PRODUCT_WORDS.test(p)) return true;
  // A password that is nothing but one keyboard or alphabet run (possibly repeated), e.g. "1234567890123".
  const stripped = p.replace(/[^a-z0-9]/g, '');
  return stripped.length > 0 && KEYBOARD_RUNS.some((run) => (run + run + run).includes(stripped));
}
