package org.concilium.security;

/** What a request does to a resource type, as SMART v2 scope letters name it. */
public enum Interaction {
    CREATE('c'), READ('r'), UPDATE('u'), DELETE('d'), SEARCH('s');

    private final char letter;

    Interaction(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }
}
