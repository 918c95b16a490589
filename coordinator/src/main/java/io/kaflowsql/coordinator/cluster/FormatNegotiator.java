package io.kaflowsql.coordinator.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.kaflowsql.protocol.FormatVersions;
import io.kaflowsql.protocol.SupportedVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Keeps a node's written format versions at the newest every cluster member reads: reads each member's
 * {@value HazelcastMembers#FORMATS_ATTRIBUTE} attribute (a member without it is a build from before formats were
 * versioned: version 1 of everything) and {@link FormatVersions#negotiate negotiates} on every membership change,
 * logging each switch. Members' attributes are fixed when they start, so the member list is all it needs.
 *
 * <p>Negotiation is a cheap pure computation, so it runs on Hazelcast's event thread; thread-safe.
 */
final class FormatNegotiator
        implements MembershipListener
{
    private static final Logger log = LoggerFactory.getLogger(FormatNegotiator.class);

    private final HazelcastInstance hazelcast;
    private final FormatVersions formats;

    private FormatNegotiator(HazelcastInstance hazelcast, FormatVersions formats)
    {
        this.hazelcast = requireNonNull(hazelcast, "hazelcast is null");
        this.formats = requireNonNull(formats, "formats is null");
    }

    /** Negotiates with the members now and again on every membership change. */
    static void attach(HazelcastInstance hazelcast, FormatVersions formats)
    {
        FormatNegotiator negotiator = new FormatNegotiator(hazelcast, formats);
        hazelcast.getCluster().addMembershipListener(negotiator);
        negotiator.negotiate();
        log.info("Format versions: this node reads {}; writing {}", formats.supported(), formats.writing());
    }

    /** What each member reads, from its attribute; an unreadable attribute counts as version 1 only, with a warning. */
    static List<SupportedVersions> supportedBy(Collection<Member> members)
    {
        List<SupportedVersions> supported = new ArrayList<>();
        for (Member member : members) {
            String attribute = member.getAttribute(HazelcastMembers.FORMATS_ATTRIBUTE);
            try {
                supported.add(SupportedVersions.fromAttribute(attribute));
            }
            catch (IllegalArgumentException e) {
                log.warn("Member {} advertises unreadable format versions ({}); assuming it reads version 1 only", member.getAddress(), e.getMessage());
                supported.add(SupportedVersions.fromAttribute(null));
            }
        }
        return supported;
    }

    @Override
    public void memberAdded(MembershipEvent event)
    {
        negotiate();
    }

    @Override
    public void memberRemoved(MembershipEvent event)
    {
        negotiate();
    }

    private synchronized void negotiate()
    {
        if (!hazelcast.getLifecycleService().isRunning()) {
            return;
        }
        List<SupportedVersions> members = supportedBy(hazelcast.getCluster().getMembers());
        List<FormatVersions.Switch> switches = formats.negotiate(members);
        if (!switches.isEmpty()) {
            log.info("Format versions switched: {}; writing {} (this node reads {}; the {} member(s) read {})", switches, formats.writing(),
                    formats.supported(), members.size(), members);
        }
    }
}
