package io.gridtier.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README stays a newcomer's page (short, the two commands at the top) and every Markdown page of the
 * repository links only to files that exist inside it.
 */
class DocumentationTest {
    private static final Path README = Repo.ROOT.resolve("README.md");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    @Test
    void readmeIsAtMostTwentyThousandCharactersWithTheTwoCommandsInItsFirstFortyLines() throws IOException {
        String text = Files.readString(README, StandardCharsets.UTF_8);
        assertThat(text.codePointCount(0, text.length())).as("README.md characters (lab notes belong in docs/)")
                .isLessThanOrEqualTo(20_000);
        List<String> first40 = text.lines().limit(40).toList();
        assertThat(first40).as("the README's first 40 lines").anyMatch(l -> l.startsWith("bin/gridtier demo"))
                .anyMatch(l -> l.startsWith("mvn -B verify"));
        assertThat(Files.readString(Repo.ROOT.resolve(".ci/run"), StandardCharsets.UTF_8))
                .as(".ci/run runs the README's test command").contains("mvn -B verify");
    }

    @Test
    void everyRelativeLinkInTheRepositorysMarkdownResolvesInsideTheRepository() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path md : markdownFiles()) {
            String text = Files.readString(md, StandardCharsets.UTF_8);
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(1);
                if (target.matches("^[a-z]+:.*") || target.startsWith("#")) {
                    continue; // a URL or an anchor in the same page
                }
                String file = target.replaceFirst("#.*$", "");
                Path resolved = md.getParent().resolve(file).normalize();
                if (!resolved.startsWith(Repo.ROOT)) {
                    broken.add(Repo.ROOT.relativize(md) + ": " + target + " (outside the repository)");
                } else if (!Files.exists(resolved)) {
                    broken.add(Repo.ROOT.relativize(md) + ": " + target + " (missing)");
                }
            }
        }
        assertThat(broken).as("links that lead nowhere or out of the repository").isEmpty();
    }

    private static List<Path> markdownFiles() throws IOException {
        try (Stream<Path> s = Files.walk(Repo.ROOT)) {
            return s.filter(p -> p.toString().endsWith(".md"))
                    .filter(p -> {
                        Path rel = Repo.ROOT.relativize(p);
                        String first = rel.getName(0).toString();
                        return !first.equals("work") && !first.startsWith(".") && !rel.toString().contains("/target/")
                                && !rel.toString().contains("node_modules");
                    })
                    .toList();
        }
    }
}
