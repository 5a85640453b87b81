package dialtone;
public class Main { public static void main(String[] a) {} }
