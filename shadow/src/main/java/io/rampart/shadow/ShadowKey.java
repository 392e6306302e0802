package io.rampart.shadow;

import io.rampart.common.RampartException;
import java.util.regex.Pattern;

/**
 * Which shadow: the thing's classic (unnamed) shadow when {@code shadowName} is null, else a named shadow.
 * Names follow the AWS IoT data-plane model: shadow names 1 to 64 characters of {@code [$a-zA-Z0-9:_-]} (AWS
 * keeps names starting with '$' for its own shadows, such as {@code $package}); thing names 1 to 128 characters
 * of {@code [a-zA-Z0-9:_-]}.
 */
public record ShadowKey(String thingName, String shadowName) {
    private static final Pattern THING_NAME = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Pattern SHADOW_NAME = Pattern.compile("[$a-zA-Z0-9:_-]{1,64}");

    public ShadowKey {
        if (thingName == null || !THING_NAME.matcher(thingName).matches()) {
            throw RampartException.invalidRequest("thingName must be 1 to 128 characters of [a-zA-Z0-9:_-], got "
                    + (thingName == null ? "none" : "'" + thingName + "'"));
        }
        if (shadowName != null && !SHADOW_NAME.matcher(shadowName).matches()) {
            throw RampartException.invalidRequest("shadowName must be 1 to 64 characters of [$a-zA-Z0-9:_-], got '"
                    + shadowName + "'");
        }
    }

    /** The classic shadow of {@code thingName}. */
    public static ShadowKey classic(String thingName) {
        return new ShadowKey(thingName, null);
    }

    /** True for the classic (unnamed) shadow. */
    public boolean isClassic() {
        return shadowName == null;
    }

    /** The topic prefix of this shadow's reserved topics, ending in '/': {@code $aws/things/T/shadow/[name/N/]}. */
    public String topicPrefix() {
        return "$aws/things/" + thingName + "/shadow/" + (shadowName == null ? "" : "name/" + shadowName + "/");
    }

    /** The name AWS uses in "No shadow exists with name" messages: the shadow name, or the thing name if classic. */
    public String displayName() {
        return shadowName == null ? thingName : shadowName;
    }
}
