package wales.exchange.server; public final class Main { public static void main(String[] a) {} }
