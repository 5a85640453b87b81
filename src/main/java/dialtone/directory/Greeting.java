package dialtone.directory;

/** A user's greeting as played: the custom upload or, when there is none, the shipped default. */
public record Greeting(boolean custom, WavInfo info, String sha256, byte[] audio) {}
