// johnny-five and firmata ship no types; the driver checks their shape at runtime (firmata.ts).
declare module 'johnny-five' {
  const johnnyFive: unknown;
  export default johnnyFive;
}

declare module 'firmata' {
  const Firmata: new (transport: unknown, options?: Record<string, unknown>) => unknown;
  export default Firmata;
}
