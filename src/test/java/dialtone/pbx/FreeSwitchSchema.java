package dialtone.pbx;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * FreeSWITCH's documented directory schema (the XML User Directory and mod_xml_curl pages: {@code document
 * type="freeswitch/xml"} > {@code section name="directory"} > {@code domain name} > optional {@code params} and
 * {@code user id} with {@code params/param} and {@code variables/variable}, each a {@code name}/{@code value} pair;
 * "not found" is {@code section name="result"} > {@code result status="not found"}), checked strictly: an element or
 * attribute the schema does not have fails the check.
 */
final class FreeSwitchSchema {

    record Directory(String domain, String userId, Map<String, String> params, Map<String, String> variables) {}

    private static final Map<String, Set<String>> ATTRIBUTES = Map.of(
            "document", Set.of("type"), "section", Set.of("name", "description"), "domain", Set.of("name"),
            "params", Set.of(), "param", Set.of("name", "value"), "variables", Set.of(),
            "variable", Set.of("name", "value"), "user", Set.of("id", "number-alias", "cidr", "type"));
    private static final Map<String, Set<String>> CHILDREN = Map.of(
            "document", Set.of("section"), "section", Set.of("domain"), "domain", Set.of("params", "variables", "user"),
            "user", Set.of("params", "variables"), "params", Set.of("param"), "variables", Set.of("variable"),
            "param", Set.of(), "variable", Set.of());

    private FreeSwitchSchema() {}

    static Directory parseDirectory(String xml) throws Exception {
        Element document = parse(xml);
        check(document);
        Element section = only(document, "section");
        require(section.getAttribute("name").equals("directory"), "section name must be directory");
        Element domain = only(section, "domain");
        require(!domain.getAttribute("name").isEmpty(), "domain needs a name");
        Element user = only(domain, "user");
        require(!user.getAttribute("id").isEmpty(), "user needs an id");
        return new Directory(domain.getAttribute("name"), user.getAttribute("id"), pairs(only(user, "params")),
                pairs(only(user, "variables")));
    }

    static boolean isNotFound(String xml) throws Exception {
        Element document = parse(xml);
        require(document.getAttribute("type").equals("freeswitch/xml"), "document type must be freeswitch/xml");
        Element section = only(document, "section");
        Element result = only(section, "result");
        return section.getAttribute("name").equals("result") && result.getAttribute("status").equals("not found");
    }

    private static Element parse(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
        require(root.getTagName().equals("document"), "root must be <document>");
        return root;
    }

    private static void check(Element element) {
        String tag = element.getTagName();
        require(ATTRIBUTES.containsKey(tag), "<" + tag + "> is not in the directory schema");
        for (int i = 0; i < element.getAttributes().getLength(); i++) {
            String attribute = element.getAttributes().item(i).getNodeName();
            require(ATTRIBUTES.get(tag).contains(attribute), "<" + tag + "> has no attribute " + attribute);
        }
        if (tag.equals("document")) {
            require(element.getAttribute("type").equals("freeswitch/xml"), "document type must be freeswitch/xml");
        }
        if (tag.equals("param") || tag.equals("variable")) {
            require(element.hasAttribute("name") && element.hasAttribute("value"), "<" + tag + "> needs name and value");
        }
        for (Element child : children(element)) {
            require(CHILDREN.get(tag).contains(child.getTagName()), "<" + child.getTagName() + "> inside <" + tag + ">");
            check(child);
        }
    }

    private static Map<String, String> pairs(Element list) {
        Map<String, String> out = new LinkedHashMap<>();
        children(list).forEach(e -> out.put(e.getAttribute("name"), e.getAttribute("value")));
        return out;
    }

    private static Element only(Element parent, String tag) {
        List<Element> found = children(parent).stream().filter(e -> e.getTagName().equals(tag)).toList();
        require(found.size() == 1, "expected one <" + tag + "> in <" + parent.getTagName() + ">, found " + found.size());
        return found.get(0);
    }

    private static List<Element> children(Element parent) {
        List<Element> out = new java.util.ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError("FreeSWITCH directory schema: " + message);
        }
    }
}
