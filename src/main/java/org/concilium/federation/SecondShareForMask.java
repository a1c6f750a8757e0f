package org.concilium.federation;

/** A second share for a c1 this site already released a share for (the database refused it). */
public class SecondShareForMask extends RuntimeException {

    public SecondShareForMask(String mask) {
        super("a share for c1 " + mask + " is stored already");
    }
}
