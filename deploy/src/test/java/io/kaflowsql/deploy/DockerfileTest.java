package io.kaflowsql.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/Dockerfile (which cannot be built here: no Docker engine) makes the same image as the tarball: same runtime
 * modules, entrypoint and JVM flags, arguments, user and ports. A change to one without the other fails here.
 */
class DockerfileTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> dockerfile = Repository.read("deploy/Dockerfile").lines().toList();

    @Test
    void linksTheRuntimeModulesTheImageBuildLinks()
    {
        List<String> modules = Repository.read("deploy/image/jre-modules").lines()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        Matcher jlink = Pattern.compile("jlink --add-modules (\\S+)").matcher(String.join("\n", dockerfile));

        assertThat(jlink.find()).as("a jlink step in the Dockerfile").isTrue();
        assertThat(Arrays.asList(jlink.group(1).split(","))).containsExactlyElementsOf(modules);
    }

    @Test
    void runsAsTheNonRootUserOnTheSeedLayout()
    {
        assertThat(instruction("USER")).isEqualTo("10001:10001");
        assertThat(instruction("WORKDIR").lines().toList()).contains("/var/lib/kaflowsql");
        assertThat(instruction("EXPOSE").split(" ")).containsExactlyInAnyOrder("8080", "9090", "5701");
    }

    @Test
    @DisabledIfSystemProperty(named = "kaflowsql.image.skip", matches = "true", disabledReason = "built with -Djib.skip=true")
    void hasTheEntrypointAndArgumentsOfTheBuiltImage()
            throws Exception
    {
        JsonNode config = OciImageLayout.shared().config().path("config");

        assertThat(JSON.readTree(instruction("ENTRYPOINT"))).isEqualTo(config.path("Entrypoint"));
        assertThat(JSON.readTree(instruction("CMD"))).isEqualTo(config.path("Cmd"));
    }

    /** The argument of the last instruction of this name (the final stage's, for a multi-stage file). */
    private String instruction(String name)
    {
        List<String> found = dockerfile.stream().filter(line -> line.startsWith(name + " ")).map(line -> line.substring(name.length() + 1).strip()).toList();
        assertThat(found).as("%s in deploy/Dockerfile", name).isNotEmpty();
        return name.equals("WORKDIR") ? String.join("\n", found) : found.get(found.size() - 1);
    }
}
