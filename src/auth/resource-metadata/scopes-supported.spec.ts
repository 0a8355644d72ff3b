import type { RoutePolicy } from '../guards/route-policies';
import { scopesSupported } from './scopes-supported';

const policy = (allScopes: string[], anyScopeGroups: string[][] = []): RoutePolicy => ({ isPublic: false, allScopes, anyScopeGroups, introspect: false });

describe('scopesSupported (RFC 9728 §2)', () => {
  it('joins the required scopes with every route scope, all-of and any-of alike, sorted and once each', () => {
    const policies = [policy(['openid', 'reports:read']), policy(['openid'], [['b', 'a'], ['reports:read', 'c']]), policy([])];
    expect(scopesSupported(['openid'], policies)).toEqual(['a', 'b', 'c', 'openid', 'reports:read']);
  });

  it('is the required scopes alone when no route asks for more, and empty without any', () => {
    expect(scopesSupported(['z', 'y'], [policy(['z', 'y'])])).toEqual(['y', 'z']);
    expect(scopesSupported([], [])).toEqual([]);
  });
});
