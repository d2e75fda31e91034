package io.gridtier.tierservice;

import io.gridtier.schema.AlertType;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.testkit.SharedLocalKafka;
import io.gridtier.tierservice.bench.SampleProducer;
import io.gridtier.tierservice.bench.SyntheticSegments;
import io.gridtier.tierservice.store.AvroCodec;
import io.gridtier.tierservice.support.Http;
import io.gridtier.tierservice.support.Segments;
import io.gridtier.tierservice.support.ServiceFixture;
import io.gridtier.tierservice.support.TestTokens;
import io.gridtier.tierservice.support.TestWork;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agents' page in headless Chromium (Debian's chromium and chromium-driver, installed by
 * src/test/scripts/ensure-chromium.sh when missing), over a service that reads a real broker: sign in with an
 * agent token, search a customer, see the tier, the factors and the history; switch language; screenshots in
 * target/screenshots/.
 */
@ExtendWith(SharedLocalKafka.class)
class AgentPageBrowserIT {
    private static final String PUSHED_MODEL = "gridtier-model-pushed-2";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Path work;
    private static TierViewService service;
    private static ChromeDriver browser;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        ensureChromium();
        work = TestWork.newDir("browser");
        String segments = "segments-browser";
        String alerts = "alerts-browser";
        SampleProducer.createTopics(SharedLocalKafka.bootstrapServers(), segments, alerts, 2);
        CustomerSegment jan = Segments.of("C00012345", 45, 12, 96, "2016-01-01T00:00:00Z");
        CustomerSegment apr = Segments.of("C00012345", 63, 22, 93, "2016-04-01T00:00:00Z", true);
        CustomerSegment jul = Segments.of("C00012345", 78.4, 47.5, 84.2, "2016-07-01T00:00:00Z");
        jul.setModelVersion(PUSHED_MODEL); // a version pushed at run time (gridtier model push) since April
        try (KafkaProducer<byte[], byte[]> p = SampleProducer.producer(SharedLocalKafka.bootstrapServers())) {
            for (CustomerSegment s : List.of(jan, apr, jul)) {
                p.send(new ProducerRecord<>(segments, key(s), AvroCodec.encode(s)));
            }
            for (var a : List.of(
                    SyntheticSegments.alert(apr, AlertType.POTENTIAL_KEY_ACCOUNT_IDENTIFIED, "false", "true"),
                    SyntheticSegments.alert(jul, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT"),
                    SyntheticSegments.alert(jul, AlertType.CHURN_RISK_RAISED, "LOW", "ELEVATED"),
                    SyntheticSegments.alert(jul, AlertType.CREDIT_DOWNGRADED, "A", "B"))) {
                p.send(new ProducerRecord<>(alerts, a.getCustomerId().getBytes(StandardCharsets.UTF_8), AvroCodec.encode(a)));
            }
            p.flush();
        }
        service = ServiceFixture.start(work.resolve("store"), SharedLocalKafka.bootstrapServers(), segments, alerts);
        Http http = new Http(service.port());
        await("the view to be ready").atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> http.get("/ready", null).status() == 200);
        base = "http://127.0.0.1:" + service.port() + "/";
        browser = chrome(work.resolve("chrome-profile"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        if (work != null) {
            TestWork.deleteTree(work);
        }
    }

    @Test
    void anAgentSignsInSearchesAndSeesTierFactorsScriptAndHistory() throws IOException {
        browser.get(base);
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        js("localStorage.setItem('gridtier.lang', 'zh'); sessionStorage.clear();");
        browser.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login")));

        // a wrong token is refused on the form
        browser.findElement(By.id("token")).sendKeys("gt_zzzz0000_wrongwrongwrongwrongwrong");
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
        assertThat(browser.findElement(By.id("login-error")).getText()).contains("令牌无效");

        browser.findElement(By.id("token")).sendKeys(TestTokens.AGENT);
        browser.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("app")));
        assertThat(js("return sessionStorage.getItem('gridtier.token')")).isEqualTo(TestTokens.AGENT);
        assertThat(browser.findElement(By.id("who")).getText()).contains("alice").contains("agent");
        assertThat(browser.findElement(By.id("tab-lists")).isDisplayed()).as("lists are for supervisors").isFalse();
        wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("live-live"));

        browser.findElement(By.id("customer-id")).sendKeys("C00012345\n");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("customer")));
        wait.until(d -> d.findElements(By.cssSelector("#c-history .tl-item")).size() >= 5);

        assertThat(browser.findElement(By.id("c-id")).getText()).isEqualTo("C00012345");
        WebElement tier = browser.findElement(By.id("c-tier"));
        assertThat(tier.getText()).contains("重点客户").contains("KEY_ACCOUNT");
        assertThat(tier.getAttribute("class")).contains("tier-KEY_ACCOUNT");
        assertThat(browser.findElement(By.id("c-flags")).getText()).contains("流失风险较高").contains("信用 B");

        List<WebElement> valueFactors = browser.findElements(By.cssSelector(".score-value .factor"));
        assertThat(valueFactors).hasSize(6);
        assertThat(valueFactors.get(0).findElement(By.className("f-detail")).getText()).endsWith(".");
        assertThat(browser.findElement(By.cssSelector(".score-value .score-num")).getText()).startsWith("78.4");
        assertThat(browser.findElements(By.cssSelector(".score-credit .factor.neg"))).isNotEmpty();
        assertThat(browser.findElement(By.id("c-script")).getText()).contains("重点客户").contains("流失风险较高");
        assertThat(browser.findElement(By.id("c-model")).getText()).as("the model version of the segment shown")
                .isEqualTo("模型 " + PUSHED_MODEL);

        List<String> timeline = browser.findElements(By.cssSelector("#c-history .tl-title")).stream()
                .map(WebElement::getText).toList();
        assertThat(timeline).anyMatch(t -> t.contains("进入重点客户"))
                .anyMatch(t -> t.contains("价值层级") && t.contains("重点客户"))
                .anyMatch(t -> t.contains("首次进入视图"));
        assertThat(browser.findElement(By.id("stale")).isDisplayed()).as("caught up: no staleness warning").isFalse();
        screenshot("agent-page-zh");

        // the same page in English
        browser.findElements(By.cssSelector("[data-lang-toggle]")).stream().filter(WebElement::isDisplayed)
                .findFirst().orElseThrow().click();
        wait.until(d -> d.findElement(By.id("c-tier")).getText().contains("Key account"));
        assertThat(browser.findElement(By.cssSelector(".score-churn h3")).getText()).isEqualTo("Churn risk");
        assertThat(browser.findElement(By.id("c-history")).getText()).contains("Became a key account");
        screenshot("agent-page-en");

        // an unknown customer, then a malformed id
        WebElement search = browser.findElement(By.id("customer-id"));
        search.clear();
        search.sendKeys("C99999999\n");
        wait.until(d -> d.findElement(By.id("message")).getText().contains("No customer C99999999"));
        assertThat(browser.findElement(By.id("customer")).isDisplayed()).isFalse();
        search.clear();
        search.sendKeys("bad id!\n");
        wait.until(d -> d.findElement(By.id("message")).getText().startsWith("Cannot search"));
    }

    @Test
    void theStalenessWarningShowsWhenTheViewIsBehind() throws IOException {
        // a view cut off from Kafka never catches up: every answer is marked stale
        try (TierViewService offline = ServiceFixture.offline(work.resolve("offline-store"))) {
            Segments.put(offline.store(), Segments.of("C00000077", 35, 70, 62, "2016-08-01T00:00:00Z"));
            browser.get("http://127.0.0.1:" + offline.port() + "/");
            js("localStorage.setItem('gridtier.lang', 'zh');");
            browser.navigate().refresh();
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("token"))).sendKeys(TestTokens.SUPERVISOR + "\n");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("customer-id"))).sendKeys("C00000077\n");
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("customer")));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("stale")));
            assertThat(browser.findElement(By.id("stale")).getText()).contains("数据可能不是最新");
            wait.until(d -> d.findElement(By.id("live")).getAttribute("class").contains("live-lagging"));
            assertThat(browser.findElement(By.id("tab-lists")).isDisplayed()).as("supervisors get lists").isTrue();
            assertThat(browser.findElement(By.id("c-flags")).getText()).contains("流失风险高").contains("信用 C");
            screenshot("agent-page-stale");
        }
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** A full-page PNG (Chrome's DevTools capture beyond the viewport) under target/screenshots/. */
    private static void screenshot(String name) throws IOException {
        Path dir = TestWork.target().resolve("screenshots");
        Files.createDirectories(dir);
        Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot",
                Map.of("format", "png", "captureBeyondViewport", true));
        byte[] png = shot != null && shot.get("data") instanceof String data ? Base64.getDecoder().decode(data)
                : browser.getScreenshotAs(OutputType.BYTES);
        Files.write(dir.resolve(name + ".png"), png);
    }

    private static ChromeDriver chrome(Path profile) throws IOException {
        Files.createDirectories(profile);
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=1440,1000", "--lang=zh-CN",
                "--force-device-scale-factor=1");
        ChromeDriverService driverService = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .withLogFile(TestWork.target().resolve("chromedriver.log").toFile())
                .build();
        return new ChromeDriver(driverService, options);
    }

    private static void ensureChromium() throws IOException, InterruptedException {
        if (Files.isExecutable(Path.of("/usr/bin/chromium")) && Files.isExecutable(Path.of("/usr/bin/chromedriver"))) {
            return;
        }
        Path script = TestWork.repoHome().resolve("tier-service/src/test/scripts/ensure-chromium.sh");
        Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("installing chromium took more than 15 minutes");
        }
        assertThat(p.exitValue()).as("ensure-chromium.sh (apt-get install chromium chromium-driver)").isZero();
    }

    private static byte[] key(CustomerSegment s) {
        return s.getCustomerId().getBytes(StandardCharsets.UTF_8);
    }
}
