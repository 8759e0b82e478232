@allure.label.epic:Sharing
Feature: Revoking a share link
  What happens when we revoke a link? It stops working at once, for everyone who holds it, and
  that includes a guest who is watching at that very moment: her next request is refused, whether
  her player asks for more of the video, she reloads the page or she tries to download. The audit
  log keeps who revoked the link and when. A revoked link never works again: rotating it is
  refused, and sharing the cut anew gives a new link, never the old one back. To the guest, a
  revoked link looks exactly like one that expired or never existed. Rotating a link revokes it
  and hands out a new one in the same step; deleting a cut revokes all its links.

  Background:
    Given Brightside Agency has the cut "Harbour Lights", version 3
    And Theo has shared the cut with Gina for viewing and download

  Rule: Revoking a link stops it at once, also for a guest in the middle of a review

    @allure.severity:critical
    Scenario: Gina cannot open a link Theo has revoked
      Given Theo has revoked the link
      When Gina opens the share link
      Then Gina is told the link is not available

    @allure.severity:critical
    Scenario Outline: Gina is watching when Theo revokes the link: she is stopped when she <next request>
      Given Gina is watching the cut through the link
      And Theo has revoked the link meanwhile
      When Gina <next request>
      Then Gina is told the link is not available
      And nothing in the answer reveals where the cut's file is stored

      Examples:
        | next request              |
        | starts the video          |
        | loads the cut's thumbnail |
        | downloads the cut         |
        | reloads the page          |

    @negative @concurrency
    Scenario: Fifty guests opening the link as Theo revokes it: no view is logged after the revocation
      When 50 guests open the link at the same moment as Theo revokes it
      Then Theo sees the link as revoked by Theo
      And no view of the link is logged after its revocation

  Rule: The audit log records who revoked a link, and when

    Scenario: The audit log records who revoked the link, and when
      When Theo revokes the link
      Then the audit log records that Theo revoked the link, just now
      And Theo sees the link as revoked by Theo

  Rule: Rotating a link issues a new link and revokes the old one in one step

    @allure.severity:critical
    Scenario: After rotation the new link works and the old one does not
      When Theo rotates the link
      Then the new link shows Gina "Harbour Lights", version 3
      But Gina's old link does not work any more

    Scenario: The new link keeps the old link's permission and expiry
      When Theo rotates the link
      Then the new link allows what the old one allowed, until the same moment

    @negative @concurrency
    Scenario: Two rotations racing for one link leave exactly one live link
      When Theo rotates the link from two browser tabs at the same moment
      Then exactly one of the rotations succeeds, and the other is told the link is revoked for good
      And the cut has exactly one live link

  Rule: A link's key never comes back to life: after revocation, expiry or rotation it stays refused, also when the cut is shared again

    @negative
    Scenario: A revoked link cannot be brought back by rotating it
      Given Theo has revoked the link
      When Theo tries to rotate the revoked link
      Then Theo is told that the link is revoked for good
      And Gina's link still does not work

    @negative
    Scenario Outline: Gina's link stays dead after Theo shares the cut again, when she holds <kind>
      Given Gina holds <kind>
      And Theo has since shared the cut with Gina again
      When Gina opens her old link
      Then Gina is told the link is not available

      Examples:
        | kind                        |
        | a revoked link              |
        | an expired link             |
        | a link replaced by rotation |

  Rule: Unknown, expired and revoked links all get one and the same refusal, so a guest cannot tell which it was

    @negative @security
    Scenario Outline: <kind> is refused exactly like a link that never existed, when Gina <request>
      Given Gina holds <kind>
      When Gina <request>
      Then Gina is refused exactly as for a link that never existed

      Examples:
        | kind                           | request              |
        | a revoked link                 | opens the share link |
        | a revoked link                 | downloads the cut    |
        | an expired link                | opens the share link |
        | an expired link                | starts the video     |
        | a link replaced by rotation    | opens the share link |
        | a link to a deleted cut        | opens the share link |
        | a link whose key was cut short | opens the share link |
        | a link whose key was cut short | downloads the cut    |

  Rule: Deleting a cut revokes its links; the cut is hidden from everyone but kept for the audit

    Scenario: Every link to a deleted cut stops working
      Given Theo has shared the cut with Gina again
      When Theo deletes the cut
      Then none of the links to the cut works any more

    Scenario: A deleted cut disappears from its project but stays in the records, and the deletion is audited
      When Theo deletes the cut
      Then Theo no longer finds the cut in its project
      And the audit log records that Theo deleted the cut and revoked its link
      And the portal still keeps its record of the cut, marked as deleted
