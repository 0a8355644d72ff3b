import { timingSafeEqual } from 'node:crypto';

/** The one demo user. Its id looks like an Okta user id; its login is what Okta puts in an access token's `sub`. */
export class DemoAccount {
  constructor({ username, password }) {
    this.accountId = '00u-local-demo';
    this.login = username;
    this.password = password;
  }

  checkPassword(username, password) {
    return username === this.login && sameString(password, this.password);
  }

  /** Claims by scope, as Okta returns them from userinfo and puts them in ID tokens. */
  claims() {
    return {
      sub: this.accountId,
      name: 'Demo User',
      given_name: 'Demo',
      family_name: 'User',
      preferred_username: this.login,
      locale: 'en-US',
      zoneinfo: 'America/Los_Angeles',
      email: this.login,
      email_verified: true,
    };
  }
}

export const SCOPE_CLAIMS = Object.freeze({
  openid: ['sub'],
  profile: ['name', 'given_name', 'family_name', 'preferred_username', 'locale', 'zoneinfo'],
  email: ['email', 'email_verified'],
});

function sameString(a, b) {
  const left = Buffer.from(String(a));
  const right = Buffer.from(String(b));
  return left.length === right.length && timingSafeEqual(left, right);
}
