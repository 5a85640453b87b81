package dialtone.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real browser for portal tests: headless Chromium from the Debian packages {@code chromium} and
 * {@code chromium-driver} (installed by .ci/run), driven through WebDriver. The driver and browser are named
 * explicitly, so Selenium never looks for or downloads anything. It trusts the test server's self-signed
 * certificate (the only certificate it ever sees).
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private final WebDriver driver;
    private final String base;
    private final Path screenshots;

    /** Whether the Debian packages are installed. */
    public static boolean installed() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    public Browser(String base) throws IOException {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--window-size=1280,1000", "--lang=en-US",
                "--disable-features=Translate,PasswordLeakDetection", "--password-store=basic");
        options.setAcceptInsecureCerts(true);
        // The console is kept so that tests can see what the page refused (e.g. Content-Security-Policy reports).
        org.openqa.selenium.logging.LoggingPreferences logging = new org.openqa.selenium.logging.LoggingPreferences();
        logging.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logging);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        String dir = System.getProperty("dialtone.screenshots", "target/screenshots");
        screenshots = Files.createDirectories(Path.of(dir));
    }

    public WebDriver driver() {
        return driver;
    }

    /** Opens a path of the portal (or a full URL). */
    public Browser open(String pathOrUrl) {
        driver.get(pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl);
        return this;
    }

    public String path() {
        String url = driver.getCurrentUrl();
        return url.startsWith(base) ? url.substring(base.length()) : url;
    }

    public String title() {
        return driver.findElement(By.tagName("h1")).getText();
    }

    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public WebElement field(String name) {
        return driver.findElement(By.id("f-" + name));
    }

    /** Replaces a text field's content, as a person typing it. */
    public Browser type(String name, String value) {
        WebElement field = field(name);
        field.clear();
        field.sendKeys(value);
        return this;
    }

    public Browser select(String name, String visibleTextOrValue) {
        Select select = new Select(field(name));
        try {
            select.selectByValue(visibleTextOrValue);
        } catch (org.openqa.selenium.NoSuchElementException e) {
            select.selectByVisibleText(visibleTextOrValue);
        }
        return this;
    }

    public Browser check(String id, boolean on) {
        WebElement box = driver.findElement(By.id(id));
        if (box.isSelected() != on) {
            box.click();
        }
        return this;
    }

    public Browser attach(String name, Path file) {
        field(name).sendKeys(file.toAbsolutePath().toString());
        return this;
    }

    /** Clicks what leads to another page and waits until that page has replaced this one. */
    public Browser click(By by) {
        WebElement page = driver.findElement(By.tagName("html"));
        driver.findElement(by).click();
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> isGone(page));
        new WebDriverWait(driver, Duration.ofSeconds(120)).until(d -> "complete".equals(
                ((org.openqa.selenium.JavascriptExecutor) d).executeScript("return document.readyState")));
        return this;
    }

    /**
     * Whether the page's element is gone: stale, or (Chromium, while the next document loads) reported as a node
     * that no longer belongs to the document.
     */
    private static boolean isGone(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            if (e.getMessage() != null && e.getMessage().contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    public Browser clickButton(String label) {
        return click(By.xpath("//button[normalize-space()='" + label + "']"));
    }

    public Browser clickLink(String label) {
        return click(By.linkText(label));
    }

    /** The error shown next to a field (linked to it by aria-describedby), or null. */
    public String errorOf(String name) {
        List<WebElement> errors = driver.findElements(By.id("e-" + name));
        return errors.isEmpty() ? null : errors.get(0).getText();
    }

    public String byId(String id) {
        return driver.findElement(By.id(id)).getText();
    }

    public Browser size(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        return this;
    }

    /** A full-page PNG under the screenshots folder ({@code -Ddialtone.screenshots=docs/screenshots} for the README's). */
    public Path screenshot(String name) throws IOException {
        // The whole page: the window is made as tall as the document for the picture, then put back.
        Dimension before = driver.manage().window().getSize();
        Object height = ((org.openqa.selenium.JavascriptExecutor) driver)
                .executeScript("window.scrollTo(0, 0); return document.documentElement.scrollHeight;");
        int pageHeight = Math.min(6000, ((Number) height).intValue());
        if (pageHeight > before.getHeight()) {
            driver.manage().window().setSize(new Dimension(before.getWidth(), pageHeight));
        }
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        driver.manage().window().setSize(before);
        Path target = screenshots.resolve(name + ".png");
        Files.copy(shot.toPath(), target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return target;
    }

    /** What the page wrote to the console since the last call (errors, refused loads), one message a line. */
    public List<String> console() {
        return driver.manage().logs().get(org.openqa.selenium.logging.LogType.BROWSER).getAll().stream()
                .map(entry -> entry.getLevel() + " " + entry.getMessage()).toList();
    }

    /** Forgets every cookie: a new visitor. */
    public Browser forget() {
        driver.manage().deleteAllCookies();
        return this;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
