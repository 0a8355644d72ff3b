/**
 * Like Nest's SetMetadata, but adds `items` to the list the target already holds instead of
 * replacing it: two `@Scopes()` on one handler both count, and a controller class extends the list
 * of the class it inherits from. The list reads in source order (parent class first, then the
 * decorators top to bottom), although TypeScript applies decorators bottom to top.
 */
export function appendMetadata<T>(key: string, items: readonly T[]): ClassDecorator & MethodDecorator {
  return (target: object, _property?: string | symbol, descriptor?: PropertyDescriptor) => {
    const where: object = descriptor ? descriptor.value : target;
    const inherited: readonly T[] = descriptor ? [] : (Reflect.getMetadata(key, Object.getPrototypeOf(target)) ?? []);
    const own: readonly T[] = (Reflect.getOwnMetadata(key, where) ?? inherited).slice(inherited.length);
    Reflect.defineMetadata(key, Object.freeze([...inherited, ...items, ...own]), where);
  };
}
